import { Hono } from 'hono';
import { z } from 'zod';
import { PrivacyConfirmQuerySchema, PrivacyRequestSchema, PUBLIC_REQUEST_MAX_BYTES } from '@parley/schema';
import { clientAddress } from '../lib/client-address.ts';
import { requireJson, validate } from '../lib/validate.ts';
import { bodyLimit } from '../middleware/body-limit.ts';
import { noStore } from '../middleware/cache-control.ts';
import type { CommentNotifier } from '../services/comments-notify.ts';
import type { PrivacyService } from '../services/comments-privacy.ts';
import type { SingleUseLinks } from '../services/single-use-links.ts';

/**
 * Links in the confirmation mail start at `publicUrl` (PARLEY_PUBLIC_URL), never at the request's Host.
 * `POST /api/privacy/requests` → always 202 (whether or not the address has comments);
 * `GET /api/privacy/confirm?token=` → the export as JSON, or what was erased.
 */
export function privacyRoutes(privacy: PrivacyService, options: { publicUrl?: string | undefined; links?: SingleUseLinks } = {}) {
  return new Hono()
    .use(noStore())
    .post('/requests', bodyLimit(PUBLIC_REQUEST_MAX_BYTES), requireJson(), validate('json', PrivacyRequestSchema), async (c) => {
      await privacy.request(c.req.valid('json'), { ip: clientAddress(c), serverUrl: options.publicUrl ?? '' });
      return c.json({ accepted: true, message: 'If this address has comments here, a confirmation link is on its way.' }, 202);
    })
    .get('/confirm', validate('query', PrivacyConfirmQuerySchema), async (c) => {
      const { token } = c.req.valid('query');
      // Single-use: a second click (or anyone holding a copy of the link) gets 410.
      await options.links?.consume('privacy', token);
      const result = await privacy.confirm(token);
      if (result.kind === 'export') c.header('Content-Disposition', `attachment; filename="parley-export-${result.site}.json"`);
      return c.json(result, 200);
    });
}

const TokenQuerySchema = z.object({ token: z.string().min(20).max(2_000) });

/**
 * Reply notifications: `GET /api/notifications/confirm?token=` (double opt-in) and
 * `GET|POST /api/notifications/unsubscribe?token=` (POST is RFC 8058 one-click from the mail client).
 */
export function notificationRoutes(notifier: CommentNotifier) {
  return new Hono()
    .use(noStore())
    .get('/confirm', validate('query', TokenQuerySchema), async (c) => c.json(await notifier.confirm(c.req.valid('query').token), 200))
    .get('/unsubscribe', validate('query', TokenQuerySchema), async (c) => c.json(await notifier.unsubscribe(c.req.valid('query').token), 200))
    .post('/unsubscribe', validate('query', TokenQuerySchema), async (c) => c.json(await notifier.unsubscribe(c.req.valid('query').token), 200));
}
