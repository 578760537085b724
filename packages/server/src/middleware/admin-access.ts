import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../lib/errors.ts';
import { safeEqual, type AdminsService, type LiveSession } from '../services/admins.ts';
import { adminAuth } from './admin-auth.ts';
import { OWNER_SCOPE, scopeOfAdmin, type AdminScope } from './admin-scope.ts';

export const SESSION_COOKIE = 'parley_session';
export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type AdminAccessVariables = {
  /** Set when the caller came in with a session cookie; unset for the bearer token. */
  adminSession: LiveSession | undefined;
  /** What this caller may touch: the bearer token is an owner; a session has its account's role and sites. */
  adminScope: AdminScope;
};

/**
 * Admin access by EITHER the bearer token (PARLEY_ADMIN_TOKEN, exactly as `adminAuth` — scripts keep
 * working) OR a console session cookie. Session requests that change state must also:
 * - send `X-CSRF-Token` equal to the session's token (403 `csrf_failed`), and
 * - come from this origin: `Origin`, when sent, must equal the request's own origin, and
 *   `Sec-Fetch-Site`, when sent, must be `same-origin` (403 `csrf_failed`).
 * SameSite=Strict on the cookie is the first line; these hold even where it is not honoured.
 */
export function adminAccess(admins: AdminsService, adminToken: string | undefined) {
  const bearer = adminAuth(adminToken);
  return createMiddleware<{ Variables: AdminAccessVariables }>(async function adminAccess(c, next) {
    if (c.req.header('authorization') !== undefined) {
      c.set('adminSession', undefined);
      c.set('adminScope', OWNER_SCOPE);
      return bearer(c, next);
    }
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? await admins.session(token) : undefined;
    if (!session) {
      throw new AppError(401, 'unauthorized', 'Log in first (POST /api/admin/login) or send Authorization: Bearer <PARLEY_ADMIN_TOKEN>');
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      assertSameOrigin(c.req.raw, c.req.header('host'));
      const sent = c.req.header(CSRF_HEADER);
      if (!sent || !safeEqual(sent, session.csrfToken)) {
        throw new AppError(403, 'csrf_failed', `Missing or wrong ${CSRF_HEADER} header`);
      }
    }
    c.set('adminSession', session);
    c.set('adminScope', scopeOfAdmin(session.admin));
    await next();
  });
}

/** Refuses browser requests from another origin (used by login too, where there is no session yet). */
export function assertSameOrigin(request: Request, host: string | undefined): void {
  const fetchSite = request.headers.get('sec-fetch-site');
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    throw new AppError(403, 'csrf_failed', `Cross-origin admin request refused (Sec-Fetch-Site: ${fetchSite})`);
  }
  const origin = request.headers.get('origin');
  if (origin === null) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError(403, 'csrf_failed', `Cross-origin admin request refused (Origin: ${origin})`);
  }
  const ownHost = host ?? new URL(request.url).host;
  if (originHost !== ownHost) {
    throw new AppError(403, 'csrf_failed', `Cross-origin admin request refused (Origin: ${origin})`);
  }
}
