import { Hono } from 'hono';
import { z } from 'zod';
import { IdSchema, NewFlagSchema, PUBLIC_REQUEST_MAX_BYTES } from '@parley/schema';
import { clientAddress } from '../lib/client-address.ts';
import { requireJson, validate } from '../lib/validate.ts';
import { bodyLimit } from '../middleware/body-limit.ts';
import { noStore } from '../middleware/cache-control.ts';
import type { ModerationService } from '../services/moderation.ts';

/**
 * `POST /api/comments/:id/flag` — mounted at `/api/comments` beside the comments routes, in its own
 * file. The origin is checked against the comment's site inside the service (the site is only known
 * after the comment is looked up).
 */
export function flagsRoutes(moderation: ModerationService) {
  return new Hono().post(
    '/:id/flag',
    noStore(),
    bodyLimit(PUBLIC_REQUEST_MAX_BYTES),
    validate('param', z.object({ id: IdSchema })),
    requireJson(),
    validate('json', NewFlagSchema),
    async (c) => {
      const result = await moderation.flag(c.req.valid('param').id, c.req.valid('json'), {
        ip: clientAddress(c),
        origin: c.req.header('origin'),
      });
      return c.json(result, 201);
    },
  );
}
