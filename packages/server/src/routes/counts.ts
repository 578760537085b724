import { Hono } from 'hono';
import { CountsRequestSchema, PUBLIC_REQUEST_MAX_BYTES } from '@parley/schema';
import { requireJson, validate } from '../lib/validate.ts';
import { bodyLimit } from '../middleware/body-limit.ts';
import { noStore } from '../middleware/cache-control.ts';
import type { CommentsService } from '../services/comments.ts';

/**
 * POST rather than GET: a page of badges can name up to COUNT_PAGES_MAX pages. `assertSite` throws
 * 404 `site_not_found` for a site the sites file does not list.
 */
export function countsRoutes(comments: CommentsService, assertSite: (site: string) => void = () => {}) {
  return new Hono().post(
    '/',
    noStore(),
    bodyLimit(PUBLIC_REQUEST_MAX_BYTES),
    requireJson(),
    validate('json', CountsRequestSchema),
    async (c) => {
      const { site, pages } = c.req.valid('json');
      assertSite(site);
      return c.json(await comments.counts(site, pages), 200);
    },
  );
}
