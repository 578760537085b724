import { Hono } from 'hono';
import { RelatedQuerySchema } from '@parley/schema';
import { validate } from '../lib/validate.ts';
import { cacheControl } from '../middleware/cache-control.ts';
import type { RelatedService } from '../services/related.ts';

export function relatedRoutes(related: RelatedService) {
  return new Hono().get('/', cacheControl('public, max-age=60'), validate('query', RelatedQuerySchema), async (c) => {
    const { site, page, limit } = c.req.valid('query');
    return c.json(await related.related(site, page, limit), 200);
  });
}
