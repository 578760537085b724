import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import { z } from 'zod';
import {
  CommentPermalinkQuerySchema,
  CommentsQuerySchema,
  DeleteCommentQuerySchema,
  EDIT_TOKEN_HEADER,
  EditCommentSchema,
  IdSchema,
  LikeCommentSchema,
  NewCommentSchema,
  PUBLIC_REQUEST_MAX_BYTES,
  RepliesQuerySchema,
} from '@parley/schema';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import { clientAddress } from '../lib/client-address.ts';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey, runIdempotent, type KeepAnswer } from '../services/idempotency.ts';
import type { Database } from '../store/schema.ts';
import { requireJson, validate } from '../lib/validate.ts';
import { bodyLimit } from '../middleware/body-limit.ts';
import { cacheControl, noStore } from '../middleware/cache-control.ts';
import type { CachedBody } from '../services/comments-cache.ts';
import type { CommentsService } from '../services/comments.ts';
import { AppError } from '../lib/errors.ts';


const IdParamSchema = z.strictObject({ id: IdSchema });
const JSON_TYPE = { 'Content-Type': 'application/json; charset=UTF-8' };

function rawQuery(url: string): string {
  const start = url.indexOf('?');
  return start < 0 ? '' : url.slice(start);
}

/** JSON bytes, gzipped when the client takes gzip (made once per cached page, not per request). */
function sendBody(c: Context, body: CachedBody): Response {
  c.header('Vary', 'Accept-Encoding', { append: true });
  if (/\bgzip\b/i.test(c.req.header('accept-encoding') ?? '')) {
    return c.body(body.gzip as Uint8Array<ArrayBuffer>, 200, { ...JSON_TYPE, 'Content-Encoding': 'gzip' });
  }
  return c.body(body.bytes as Uint8Array<ArrayBuffer>, 200, JSON_TYPE);
}

export interface CommentsRoutesOptions {
  /** Where `Idempotency-Key` claims and answers are kept (services/idempotency.ts); without it the header is ignored. */
  idempotency?: { db: Kysely<Database>; clock: Clock };
  /** PARLEY_PUBLIC_URL: this server's address in mailed links; never taken from the request. */
  publicUrl?: string | undefined;
}

export function commentsRoutes(comments: CommentsService, options: CommentsRoutesOptions = {}) {
  const writeGuards = [noStore(), bodyLimit(PUBLIC_REQUEST_MAX_BYTES), requireJson()] as const;
  return new Hono()
    // The first screen is the hot path: a repeat of a URL whose page is unchanged is answered from the
    // cache before validation (the same query string validated the same way the first time).
    .get(
      '/',
      cacheControl('no-cache'),
      async function cachedThread(c, next) {
        const hit = comments.cachedThread(rawQuery(c.req.url));
        if (!hit) return next();
        return sendBody(c, hit);
      },
      validate('query', CommentsQuerySchema),
      async (c) => sendBody(c, await comments.threadBody(c.req.valid('query'), rawQuery(c.req.url))),
    )
    .post('/', ...writeGuards, validate('json', NewCommentSchema), async (c) => {
      const input = c.req.valid('json');
      // The body names the site (the origin guard checked that one); a query naming another is refused.
      const querySite = c.req.query('site');
      if (querySite !== undefined && querySite !== input.site) {
        throw new AppError(400, 'validation_failed', `Invalid request: site: the query says "${querySite}" but the body says "${input.site}"`, [
          { path: 'site', message: 'the query and the body name different sites' },
        ]);
      }
      const { authorToken, ...newComment } = input;
      const key = parseIdempotencyKey(c.req.header(IDEMPOTENCY_HEADER));
      const post = async (keepAnswer?: KeepAnswer) => {
        const { comment, status } = await comments.post(newComment, {
          ip: clientAddress(c),
          userAgent: c.req.header('user-agent'),
          referrer: c.req.header('referer'),
          origin: c.req.header('origin'),
          serverUrl: options.publicUrl,
          authorToken,
          keepAnswer,
        });
        // 202: stored, waiting for a moderator (not in public lists until approved).
        return { status, body: comment };
      };
      if (key === undefined || !options.idempotency) {
        const { status, body } = await post();
        return c.json(body, status);
      }
      // A retry after a dropped connection gets the first answer back instead of a second comment.
      const { db, clock } = options.idempotency;
      const answer = await runIdempotent(db, clock.now(), { site: input.site, key, request: input }, post);
      if (answer.replayed) c.header('Idempotent-Replayed', 'true');
      return c.body(answer.response, answer.status as 201 | 202, JSON_TYPE);
    })
    .get('/:id/replies', cacheControl('no-cache'), compress(), validate('param', IdParamSchema), validate('query', RepliesQuerySchema), async (c) =>
      c.json(await comments.replies(c.req.valid('param').id, c.req.valid('query')), 200),
    )
    .post('/:id/like', ...writeGuards, validate('param', IdParamSchema), validate('json', LikeCommentSchema), async (c) =>
      c.json(await comments.like(c.req.valid('param').id, c.req.valid('json'), clientAddress(c)), 200),
    )
    .get('/:id', cacheControl('no-cache'), compress(), validate('param', IdParamSchema), validate('query', CommentPermalinkQuerySchema), async (c) =>
      c.json(await comments.permalink(c.req.valid('param').id, c.req.valid('query')), 200),
    )
    .patch('/:id', ...writeGuards, validate('param', IdParamSchema), validate('json', EditCommentSchema), async (c) => {
      const edited = await comments.edit(c.req.valid('param').id, c.req.valid('json'), c.req.header(EDIT_TOKEN_HEADER), {
        ip: clientAddress(c),
        userAgent: c.req.header('user-agent'),
        referrer: c.req.header('referer'),
        origin: c.req.header('origin'),
        serverUrl: options.publicUrl,
      });
      // 202: a blocked word sent it back to the moderation queue.
      return c.json(edited, edited.status === 'pending' ? 202 : 200);
    })
    .delete('/:id', noStore(), validate('param', IdParamSchema), validate('query', DeleteCommentQuerySchema), async (c) =>
      c.json(await comments.remove(c.req.valid('param').id, c.req.valid('query').site, c.req.header(EDIT_TOKEN_HEADER)), 200),
    );
}
