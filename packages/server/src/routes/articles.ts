import { Hono } from 'hono';
import { ADMIN_REQUEST_MAX_BYTES, ArticleDeleteQuerySchema, ArticlesUpsertSchema } from '@parley/schema';
import { requireJson, validate } from '../lib/validate.ts';
import { adminAuth } from '../middleware/admin-auth.ts';
import { bodyLimit } from '../middleware/body-limit.ts';
import { noStore } from '../middleware/cache-control.ts';
import type { ArticlesService } from '../services/articles.ts';

/** Admin: site owners push their article metadata for related-article ranking. */
export function articlesRoutes(articles: ArticlesService, adminToken: string | undefined) {
  return new Hono()
    .put(
      '/',
      noStore(),
      adminAuth(adminToken),
      bodyLimit(ADMIN_REQUEST_MAX_BYTES),
      requireJson(),
      validate('json', ArticlesUpsertSchema),
      async (c) => c.json(await articles.upsert(c.req.valid('json')), 200),
    )
    .delete('/', noStore(), adminAuth(adminToken), validate('query', ArticleDeleteQuerySchema), async (c) => {
      const { site, url } = c.req.valid('query');
      return c.json(await articles.delete(site, url), 200);
    });
}
