import { Hono } from 'hono';
import { PreviewRequestSchema, PUBLIC_REQUEST_MAX_BYTES } from '@parley/schema';
import { requireJson, validate } from '../lib/validate.ts';
import { bodyLimit } from '../middleware/body-limit.ts';
import { noStore } from '../middleware/cache-control.ts';
import type { CommentsService } from '../services/comments.ts';

/** `POST /api/preview`: the markdown a post would store, rendered the same way; nothing is written. */
export function previewRoutes(comments: CommentsService) {
  return new Hono().post('/', noStore(), bodyLimit(PUBLIC_REQUEST_MAX_BYTES), requireJson(), validate('json', PreviewRequestSchema), (c) =>
    c.json(comments.preview(c.req.valid('json')), 200),
  );
}
