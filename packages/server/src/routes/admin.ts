import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import {
  AdminBanFromCommentSchema,
  AdminBulkSchema,
  AdminCommentActionParamsSchema,
  AdminCommentsQuerySchema,
  AdminEditCommentSchema,
  AdminLoginSchema,
  AdminPrivacySchema,
  AdminStatsQuerySchema,
  AdminThreadLockSchema,
  AdminThreadsQuerySchema,
  IdSchema,
  NewBanSchema,
  PUBLIC_REQUEST_MAX_BYTES,
  SiteQuerySchema,
  type AdminMe,
  type AdminSession,
} from '@parley/schema';
import { clientAddress } from '../lib/client-address.ts';
import { requireJson, validate } from '../lib/validate.ts';
import { adminAccess, assertSameOrigin, SESSION_COOKIE } from '../middleware/admin-access.ts';
import { bodyLimit } from '../middleware/body-limit.ts';
import { noStore } from '../middleware/cache-control.ts';
import type { AdminCommentsService } from '../services/admin-comments.ts';
import type { AdminsService } from '../services/admins.ts';
import type { PrivacyService } from '../services/comments-privacy.ts';
import type { ModerationService } from '../services/moderation.ts';
import { listDeliveries } from '../store/webhooks.repository.ts';
import { findBanById } from '../store/bans.repository.ts';
import { findCommentForFlag } from '../store/flags.repository.ts';
import { adminScope, assertRecordAccess, assertSiteAccess, canModerate } from '../middleware/admin-scope.ts';
import type { Store } from '../store/store.ts';

export interface AdminRoutesOptions {
  /** For the webhook delivery log. */
  store: Store;
  adminToken: string | undefined;
  /** true: always Secure; false: never; undefined: when the request came over https. */
  secureCookies?: boolean;
  /** The moderation queue, actions, threads and stats (issue 4). */
  comments?: AdminCommentsService;
  /** Export or erase a reader's comments at once. */
  privacy?: PrivacyService;
  /** PARLEY_PUBLIC_URL: links in mail sent after moderator actions; never from the request. */
  publicUrl?: string | undefined;
}

const CommentIdParamSchema = z.object({ id: IdSchema });

function required<T>(service: T | undefined, what: string): T {
  if (!service) throw new Error(`adminRoutes: ${what} is not configured`);
  return service;
}

/** Console login, logout and "who am I". Moderation endpoints join this sub-app as they arrive. */
export function adminRoutes(admins: AdminsService, moderation: ModerationService, options: AdminRoutesOptions) {
  const access = adminAccess(admins, options.adminToken);
  const comments = () => required(options.comments, 'comments');
  // Roles (issue 14): every handler below checks the site it touches against the caller's scope —
  // the site it names (403), or the site of the comment or ban it addresses by id (404 when not theirs).
  const commentInScope = async (c: Context, id: string) => assertRecordAccess(c, (await findCommentForFlag(options.store.db, id))?.site, `comment ${id}`);
  return new Hono()
    .use(noStore())
    .post('/login', bodyLimit(PUBLIC_REQUEST_MAX_BYTES), requireJson(), validate('json', AdminLoginSchema), async (c) => {
      // Login CSRF: a foreign page must not log the browser into an attacker's account.
      assertSameOrigin(c.req.raw, c.req.header('host'));
      const { email, password } = c.req.valid('json');
      const login = await admins.login(email, password, clientAddress(c));
      setCookie(c, SESSION_COOKIE, login.token, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        secure: isSecure(c, options.secureCookies),
        expires: new Date(login.expiresAt),
      });
      const body: AdminSession = { admin: login.admin, csrfToken: login.csrfToken, expiresAt: login.expiresAt };
      return c.json(body, 200);
    })
    .post('/logout', access, async (c) => {
      const session = c.get('adminSession');
      if (session) await admins.logout(session.sessionIdHash);
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isSecure(c, options.secureCookies), httpOnly: true, sameSite: 'Strict' });
      return c.body(null, 204);
    })
    .get('/me', access, (c) => {
      const session = c.get('adminSession');
      const body: AdminMe = session ? { via: 'session', admin: session.admin, csrfToken: session.csrfToken } : { via: 'token' };
      return c.json(body, 200);
    })
    .get('/flags', access, validate('query', SiteQuerySchema), async (c) => {
      assertSiteAccess(c, c.req.valid('query').site);
      return c.json({ items: await moderation.flagged(c.req.valid('query').site) }, 200);
    })
    .get('/bans', access, validate('query', SiteQuerySchema), async (c) => {
      assertSiteAccess(c, c.req.valid('query').site);
      return c.json({ items: await moderation.bans(c.req.valid('query').site) }, 200);
    })
    .post('/bans', access, bodyLimit(PUBLIC_REQUEST_MAX_BYTES), requireJson(), validate('json', NewBanSchema), async (c) => {
      assertSiteAccess(c, c.req.valid('json').site);
      return c.json(await moderation.ban(c.req.valid('json')), 201);
    })
    .get('/webhooks/deliveries', access, validate('query', SiteQuerySchema), async (c) => {
      assertSiteAccess(c, c.req.valid('query').site);
      const rows = await listDeliveries(options.store.db, c.req.valid('query').site);
      const items = rows.map((row) => ({
        id: row.id,
        url: row.url,
        event: row.event,
        status: row.status,
        attempts: row.attempts,
        lastStatus: row.last_status,
        lastError: row.last_error,
        nextAttemptAt: row.next_attempt_at,
        createdAt: row.created_at,
        deliveredAt: row.delivered_at,
      }));
      return c.json({ items }, 200);
    })
    .delete('/bans/:id', access, validate('param', z.object({ id: IdSchema })), async (c) => {
      const { id } = c.req.valid('param');
      if (!adminScope(c).owner) assertRecordAccess(c, (await findBanById(options.store.db, id))?.site, `ban ${id}`);
      await moderation.unban(id);
      return c.body(null, 204);
    })
    // The console lists only the sites the caller moderates.
    .get('/sites', access, (c) => {
      const scope = adminScope(c);
      const all = comments().listSites();
      return c.json({ ...all, sites: all.sites.filter((site) => canModerate(scope, site.id)) }, 200);
    })
    .get('/comments', access, validate('query', AdminCommentsQuerySchema), async (c) => {
      assertSiteAccess(c, c.req.valid('query').site);
      return c.json(await comments().list(c.req.valid('query')), 200);
    })
    .post('/comments/bulk', access, bodyLimit(PUBLIC_REQUEST_MAX_BYTES), requireJson(), validate('json', AdminBulkSchema), async (c) => {
      // The service acts only on comments of the named site (another site's id is reported as not found).
      assertSiteAccess(c, c.req.valid('json').site);
      return c.json(await comments().bulk(c.req.valid('json'), { serverUrl: options.publicUrl }), 200);
    })
    .get('/comments/:id', access, validate('param', CommentIdParamSchema), async (c) => {
      await commentInScope(c, c.req.valid('param').id);
      return c.json(await comments().get(c.req.valid('param').id), 200);
    })
    .patch('/comments/:id', access, bodyLimit(PUBLIC_REQUEST_MAX_BYTES), requireJson(), validate('param', CommentIdParamSchema), validate('json', AdminEditCommentSchema), async (c) => {
      await commentInScope(c, c.req.valid('param').id);
      return c.json(await comments().edit(c.req.valid('param').id, c.req.valid('json').body), 200);
    })
    .delete('/comments/:id', access, validate('param', CommentIdParamSchema), async (c) => {
      await commentInScope(c, c.req.valid('param').id);
      return c.json(await comments().remove(c.req.valid('param').id), 200);
    })
    .post('/comments/:id/ban', access, bodyLimit(PUBLIC_REQUEST_MAX_BYTES), requireJson(), validate('param', CommentIdParamSchema), validate('json', AdminBanFromCommentSchema), async (c) => {
      await commentInScope(c, c.req.valid('param').id);
      return c.json(await comments().ban(c.req.valid('param').id, c.req.valid('json')), 201);
    })
    .post('/comments/:id/:action', access, validate('param', AdminCommentActionParamsSchema), async (c) => {
      const { id, action } = c.req.valid('param');
      await commentInScope(c, id);
      return c.json(await comments().act(id, action, { serverUrl: options.publicUrl }), 200);
    })
    .put('/threads', access, bodyLimit(PUBLIC_REQUEST_MAX_BYTES), requireJson(), validate('json', AdminThreadLockSchema), async (c) => {
      assertSiteAccess(c, c.req.valid('json').site);
      return c.json(await comments().lockThread(c.req.valid('json')), 200);
    })
    .get('/threads', access, validate('query', AdminThreadsQuerySchema), async (c) => {
      assertSiteAccess(c, c.req.valid('query').site);
      return c.json({ threads: await comments().lockedThreads(c.req.valid('query').site) }, 200);
    })
    .get('/stats', access, validate('query', AdminStatsQuerySchema), async (c) => {
      const { site, days } = c.req.valid('query');
      assertSiteAccess(c, site);
      return c.json(await comments().stats(site, days), 200);
    })
    .post('/privacy', access, bodyLimit(PUBLIC_REQUEST_MAX_BYTES), requireJson(), validate('json', AdminPrivacySchema), async (c) => {
      assertSiteAccess(c, c.req.valid('json').site);
      return c.json(await required(options.privacy, 'privacy').run(c.req.valid('json')), 200);
    });
}

function isSecure(c: Context, configured: boolean | undefined): boolean {
  if (configured !== undefined) return configured;
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}
