import { Hono } from 'hono';
import { CommentsQuerySchema, NewCommentSchema, PUBLIC_REQUEST_MAX_BYTES } from '@parley/schema';
import { requireJson, validate } from '../lib/validate.ts';
import { bodyLimit } from '../middleware/body-limit.ts';
import { cacheControl, noStore } from '../middleware/cache-control.ts';
import type { CommentsService } from '../services/comments.ts';

export function commentsRoutes(comments: CommentsService) {
  return new Hono()
    .get('/', cacheControl('no-cache'), validate('query', CommentsQuerySchema), async (c) => {
      const { site, page } = c.req.valid('query');
      return c.json(await comments.thread(site, page), 200);
    })
    .post(
      '/',
      noStore(),
      bodyLimit(PUBLIC_REQUEST_MAX_BYTES),
      requireJson(),
      validate('json', NewCommentSchema),
      async (c) => c.json(await comments.post(c.req.valid('json')), 201),
    );
}
