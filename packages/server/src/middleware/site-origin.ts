import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { DEFAULT_SITE, PUBLIC_REQUEST_MAX_BYTES } from '@parley/schema';
import { AppError } from '../lib/errors.ts';
import type { SiteRegistry } from '../sites/registry.ts';
import { readBody } from '../lib/read-body.ts';
import { cors } from './cors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The site a write goes to; `undefined`: cannot tell (e.g. no such comment) — the route answers, unchecked by origin. */
export type SiteResolver = (c: Context) => Promise<string | undefined> | string | undefined;

export interface OriginGuardOptions {
  /**
   * Finds the site a request writes to. Default: the JSON body's `site`, else `default` (comment
   * posting: what the route stores into; a contradicting `?site=` is a 400). Routes that address a comment by id (edit, delete, like, flag) pass one that
   * looks the comment's site up (see app.ts) — or call `assertOriginAllowed` once the site is known.
   */
  resolveSite?: SiteResolver;
}

/**
 * The origin policy for public writes (post, edit, delete, like, flag).
 *
 * - `Origin` present and not in the site's `origins` → 403 `origin_not_allowed`. `Origin: null`
 *   (sandboxed frames, file: pages) is an origin like any other: allowed only by `"*"`.
 * - No `Origin` header: browsers send one on every cross-origin request and on every POST, so a
 *   request without one comes from a script or server (curl, an importer), which the origin
 *   policy does not govern; it is allowed. The exception is a browser that says
 *   `Sec-Fetch-Site: cross-site` while hiding the origin: refused.
 * - Unknown site (with a sites file) → 404 `site_not_found`.
 *
 * When every site allows every origin the body is never read. Otherwise, to find the site, the JSON
 * body is read here (bounded by PUBLIC_REQUEST_MAX_BYTES, cached for the route's validator).
 */
export function originGuard(registry: SiteRegistry, options: OriginGuardOptions = {}) {
  const resolveSite = options.resolveSite ?? defaultSiteResolver;
  return createMiddleware(async function originGuard(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    if (origin === undefined) {
      if (c.req.header('sec-fetch-site') === 'cross-site') {
        throw new AppError(403, 'origin_not_allowed', 'Cross-site request without an Origin header');
      }
      return next();
    }
    if (registry.everyOriginEverywhere) return next();
    if (!registry.anyAllowsOrigin(origin)) throw notAllowed(origin);
    // The site is named in the body: read it (bounded, and kept for the route's own limit and validator).
    await readBody(c, PUBLIC_REQUEST_MAX_BYTES);
    const site = await resolveSite(c);
    if (site !== undefined) assertOriginAllowed(registry, site, origin);
    await next();
  });
}

/** For services that learn the site late (a comment looked up by id): throws 404/403 as originGuard does. */
export function assertOriginAllowed(registry: SiteRegistry, siteId: string, origin: string | undefined): void {
  registry.get(siteId);
  if (origin !== undefined && !registry.allowsOrigin(siteId, origin)) throw notAllowed(origin, siteId);
}

function notAllowed(origin: string, siteId?: string): AppError {
  return new AppError(
    403,
    'origin_not_allowed',
    siteId ? `Origin ${origin} may not write to site "${siteId}"` : `Origin ${origin} is not allowed`,
  );
}

/**
 * The site of `POST /api/comments`: the JSON body's `site`, exactly what the route validates and
 * stores into (absent: `default`, the schema's default). There is one source: a `?site=` that names
 * another site is a contradiction, refused with 400 rather than checked against one site and stored
 * into another.
 */
const defaultSiteResolver: SiteResolver = async (c) => {
  const site = await bodySite(c);
  const fromQuery = c.req.query('site');
  if (fromQuery !== undefined && fromQuery !== site) {
    throw new AppError(400, 'validation_failed', `Invalid request: site: the query says "${fromQuery}" but the body says "${site}"`, [
      { path: 'site', message: 'the query and the body name different sites' },
    ]);
  }
  return site;
};

/** The body's `site` as the route's schema will read it (`default` when absent or unreadable: the route then answers 400/415). */
export async function bodySite(c: Context): Promise<string> {
  if (!/^application\/([a-z0-9.-]+\+)?json/i.test(c.req.header('content-type') ?? '')) return DEFAULT_SITE;
  try {
    const body: unknown = JSON.parse(await c.req.text());
    if (body && typeof body === 'object' && 'site' in body && typeof body.site === 'string') return body.site;
  } catch {
    // Not JSON: the route answers 400/415 and writes nothing.
  }
  return DEFAULT_SITE;
}

/** For `/api/comments/:id…` writes: the site of the comment in the path; unknown id → undefined (the route 404s). */
export function siteOfCommentInPath(lookup: (id: string) => Promise<{ site: string } | undefined>): SiteResolver {
  return async (c) => {
    const id = c.req.param('id');
    if (!id || !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) return undefined;
    return (await lookup(id))?.site;
  };
}

/** `GET /api/sites/:id` names its site in the path rather than in `?site=`. */
function siteInPath(path: string): string | undefined {
  return /^\/api\/sites\/([^/]+)\/?$/.exec(path)?.[1];
}

/**
 * CORS for the API, per site. Reads (GET/HEAD) get `Access-Control-Allow-Origin` only when the
 * origin is allowed by the site they name (`?site=`, the id in `/api/sites/:id`, default `default`);
 * a read naming an unknown site gets it when some site allows the origin, so its 404 is readable. Preflights and writes carry
 * no readable site before the body, so they get it when some site allows the origin; the write
 * itself is checked by `originGuard`. When every site allows any origin this is plain `*`.
 */
export function siteCors(registry: SiteRegistry) {
  if (registry.everyOriginEverywhere) return cors({ allowedOrigins: '*' });
  return cors({
    allowedOrigins: (origin, c) => {
      const method = c.req.method;
      if (method === 'GET' || method === 'HEAD') {
        const site = c.req.query('site') || siteInPath(c.req.path) || DEFAULT_SITE;
        // An unknown site answers 404 `site_not_found`: a page of ours must be able to read why.
        if (!registry.find(site)) return registry.anyAllowsOrigin(origin);
        return registry.allowsOrigin(site, origin);
      }
      return registry.anyAllowsOrigin(origin);
    },
  });
}
