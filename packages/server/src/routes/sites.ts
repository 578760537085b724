import { Hono } from 'hono';
import { z } from 'zod';
import { SiteIdSchema, type SitePublicSettings } from '@parley/schema';
import { validate } from '../lib/validate.ts';
import { cacheControl } from '../middleware/cache-control.ts';
import type { SiteRegistry } from '../sites/registry.ts';

/** `GET /api/sites/:id`: the rules a widget needs (honeypot, fill time, edit window, links); no origins, no secrets. */
export function sitesRoutes(sites: SiteRegistry) {
  return new Hono().get('/:id', cacheControl('public, max-age=300'), validate('param', z.object({ id: SiteIdSchema })), (c) => {
    const site = sites.get(c.req.valid('param').id);
    const body: SitePublicSettings = {
      id: site.id,
      moderation: site.moderation,
      editWindowSeconds: site.editWindowSeconds,
      maxLinks: site.maxLinks,
      honeypot: site.honeypot,
      minFillSeconds: site.minFillSeconds,
    };
    return c.json(body, 200);
  });
}
