import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import {
  COMMENTS_PAGE_SIZE_DEFAULT,
  NewCommentSchema,
  PUBLIC_REQUEST_MAX_BYTES,
  RELATED_LIMIT_DEFAULT,
  RenderCommentsQuerySchema,
  RenderedFormPostSchema,
  RenderRelatedQuerySchema,
  type CommentThread,
  type NewComment,
} from '@parley/schema';
import type { Clock } from '../clock.ts';
import { AppError } from '../lib/errors.ts';
import { clientAddress } from '../lib/client-address.ts';
import { validate, validationError } from '../lib/validate.ts';
import { bodyLimit } from '../middleware/body-limit.ts';
import { cacheControl, noStore } from '../middleware/cache-control.ts';
import { RateLimitedError } from '../rate-limit/rate-limit.ts';
import { FORM_TOKEN_SLOT, renderCommentsFragment } from '../render/comments-fragment.ts';
import { FragmentCache } from '../render/fragment-cache.ts';
import { fillMsOf, formToken } from '../render/form-token.ts';
import { pageFacts } from '../render/page-facts.ts';
import { renderRelatedFragment } from '../render/related-fragment.ts';
import { renderResultPage } from '../render/result-page.ts';
import { returnAddress } from '../render/return-address.ts';
import { translationFor } from '../render/translations.ts';
import type { CommentsService } from '../services/comments.ts';
import type { RelatedService } from '../services/related.ts';
import type { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';

export interface RenderRoutesDeps {
  comments: CommentsService;
  related: RelatedService;
  sites: SiteRegistry;
  store: Store;
  clock: Clock;
}

/**
 * Fragments are public and cheap to revalidate: a cache (a CDN, the site's server, a static
 * build) keeps one for a short while, serves it stale while it asks again, and asks with the
 * ETag, answered 304 while the thread is unchanged.
 */
export const FRAGMENT_CACHE_CONTROL = 'public, max-age=15, stale-while-revalidate=300, stale-if-error=86400';
/** Bumped when the markup changes, so caches do not keep a fragment of the old shape. */
const MARKUP_VERSION = '1';
const HTML_TYPE = 'text/html; charset=UTF-8';

/**
 * A weak ETag over what the fragment is made of (the data and the query), not its bytes: the form's
 * fill-time token differs on every render, and an older one is as good.
 */
function weakEtag(...parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return `W/"${hash.digest('base64url').slice(0, 27)}"`;
}

function notModified(c: Context, etag: string): boolean {
  c.header('ETag', etag);
  const ifNoneMatch = c.req.header('if-none-match');
  return !!ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');
}

function rawQuery(url: string): string {
  const start = url.indexOf('?');
  return start < 0 ? '' : url.slice(start + 1);
}

/** This server's origin as the reader's browser should see it: the `server` the site named, else the request's. */
function publicOrigin(c: Context, server: string | undefined): string {
  return (server ? new URL(server) : new URL(c.req.url)).origin;
}

/**
 * `GET /render/comments`, `GET /render/related`: the elements with their first screen inside, for a
 * site to put in its pages (crawlers and readers without script see the discussion and the links).
 * `POST /render/comments`: the form of the comments fragment, posted without script.
 */
export function renderRoutes({ comments, related, sites, store, clock }: RenderRoutesDeps) {
  const rendered = new FragmentCache();
  return new Hono()
    .get('/comments', cacheControl(FRAGMENT_CACHE_CONTROL), compress(), validate('query', RenderCommentsQuerySchema), async (c) => {
      const query = c.req.valid('query');
      sites.get(query.site);
      const body = await comments.threadBody({ site: query.site, page: query.page, sort: query.sort, limit: COMMENTS_PAGE_SIZE_DEFAULT, ...(query.avatars ? { avatars: query.avatars } : {}) });
      const facts = await pageFacts(store, query.site, query.page, query.url);
      c.header('Vary', 'Accept-Encoding', { append: true });
      const etag = weakEtag(MARKUP_VERSION, rawQuery(c.req.url), new URL(c.req.url).origin, body.bytes, facts.url ?? '', facts.title ?? '');
      if (notModified(c, etag)) return c.body(null, 304);
      let html = rendered.get(etag);
      if (html === undefined) {
        const thread = JSON.parse(Buffer.from(body.bytes).toString('utf8')) as CommentThread;
        const origin = publicOrigin(c, query.server);
        html = renderCommentsFragment({
          thread,
          t: await translationFor(query.lang),
          site: query.site,
          sort: query.sort,
          avatars: query.avatars,
          action: `${origin}/render/comments`,
          // Each response gets its own token (below); the rest is the same until the data changes.
          token: FORM_TOKEN_SLOT,
          heading: query.heading,
          lang: query.lang,
          server: query.server ? origin : undefined,
          facts,
        });
        rendered.set(etag, html);
      }
      const token = formToken(await comments.identity(), query.site, query.page, clock.now().getTime());
      html = html.replace(FORM_TOKEN_SLOT, token);
      return c.body(html, 200, { 'Content-Type': HTML_TYPE });
    })
    .get('/related', cacheControl(FRAGMENT_CACHE_CONTROL), compress(), validate('query', RenderRelatedQuerySchema), async (c) => {
      const query = c.req.valid('query');
      sites.get(query.site);
      const { items } = await related.related(query.site, query.page, query.limit);
      c.header('Vary', 'Accept-Encoding', { append: true });
      if (notModified(c, weakEtag(MARKUP_VERSION, rawQuery(c.req.url), JSON.stringify(items)))) return c.body(null, 304);
      const html = renderRelatedFragment({
        site: query.site,
        page: query.page,
        items,
        limit: query.limit,
        defaultLimit: RELATED_LIMIT_DEFAULT,
        t: await translationFor(query.lang),
        heading: query.heading,
        lang: query.lang,
        server: query.server ? publicOrigin(c, query.server) : undefined,
      });
      return c.body(html, 200, { 'Content-Type': HTML_TYPE });
    })
    .post('/comments', noStore(), bodyLimit(PUBLIC_REQUEST_MAX_BYTES), async (c) => {
      if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? '')) {
        throw new AppError(415, 'unsupported_media_type', 'Send the form as application/x-www-form-urlencoded');
      }
      const parsed = RenderedFormPostSchema.safeParse(Object.fromEntries(new URLSearchParams(await c.req.text())));
      if (!parsed.success) throw validationError('form', parsed.error);
      const form = parsed.data;
      const origin = c.req.header('origin');
      // CSRF: browsers send Origin on every form POST; it must be one of the site's. Without one, a
      // browser that says the post is cross-site is refused (the API's policy for writes).
      if (origin === undefined && c.req.header('sec-fetch-site') === 'cross-site') {
        throw new AppError(403, 'origin_not_allowed', 'Cross-site request without an Origin header');
      }
      sites.get(form.site);
      if (origin !== undefined && !sites.allowsOrigin(form.site, origin)) {
        throw new AppError(403, 'origin_not_allowed', `Origin ${origin} may not write to site "${form.site}"`);
      }
      const back = returnAddress(sites, form.site, form.return, form.page, origin);
      if (!back) {
        const message = 'not an address on one of the site\'s origins';
        throw new AppError(400, 'validation_failed', `Invalid request: return: ${message}`, [{ path: 'return', message }]);
      }

      const identity = await comments.identity();
      const now = clock.now().getTime();
      const t = await translationFor(undefined);
      const retry = {
        action: `${new URL(c.req.url).origin}/render/comments`,
        site: form.site,
        page: form.page,
        token: formToken(identity, form.site, form.page, now),
        returnTo: form.return,
        name: form.name,
        email: form.email,
        body: form.body,
      };
      const refuse = (status: 400 | 403 | 404 | 422 | 429, message: string) =>
        c.body(renderResultPage({ t, message: t.postError(message), refused: true, back: back.href, retry }), status, { 'Content-Type': HTML_TYPE });

      const input = NewCommentSchema.safeParse({
        site: form.site,
        page: form.page,
        ...(form.parentId ? { parentId: form.parentId } : {}),
        ...(form.name || form.email ? { author: { ...(form.name ? { name: form.name } : {}), ...(form.email ? { email: form.email } : {}) } } : {}),
        body: form.body,
        honeypot: form.website ?? '',
        // A missing, forged or foreign token counts as no time at all: the site's minimum fill time refuses it.
        fillMs: fillMsOf(identity, form.token, form.site, form.page, now) ?? 0,
      });
      if (!input.success) return refuse(400, validationError('form', input.error, 'Check the form').message);

      let outcome;
      try {
        outcome = await comments.post(input.data as NewComment, {
          ip: clientAddress(c),
          userAgent: c.req.header('user-agent'),
          referrer: c.req.header('referer'),
          origin: back.origin,
          serverUrl: new URL(c.req.url).origin,
        });
      } catch (error) {
        if (error instanceof RateLimitedError) {
          c.header('Retry-After', String(error.retryAfterSeconds));
          return c.body(renderResultPage({ t, message: t.tooFast(error.retryAfterSeconds), refused: true, back: back.href, retry }), 429, { 'Content-Type': HTML_TYPE });
        }
        if (error instanceof AppError && [400, 403, 404, 422].includes(error.status)) return refuse(error.status as 400 | 403 | 404 | 422, error.message);
        throw error;
      }
      if (outcome.status === 202) {
        return c.body(renderResultPage({ t, message: outcome.comment.message ?? t.commentPending, refused: false, back: back.href }), 200, { 'Content-Type': HTML_TYPE });
      }
      return c.redirect(`${back.href}#comment-${outcome.comment.id}`, 303);
    });
}
