import { createMiddleware } from 'hono/factory';
import { DEFAULT_SITE, SiteIdSchema } from '@parley/schema';
import type { SiteRegistry } from '../sites/registry.ts';

/**
 * Public reads that name a site in `?site=` (a thread, related articles, a live stream): with a
 * sites file, a site it does not list answers 404 `site_not_found`, as writes do. A typo in a
 * widget's `site` then says so instead of showing an empty thread that nobody can post to.
 * Without a file every site exists, and this does nothing.
 */
export function knownSiteReads(registry: SiteRegistry) {
  return createMiddleware(async function knownSiteReads(c, next) {
    if (registry.strict && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
      const site = c.req.query('site') || DEFAULT_SITE;
      // A map look-up on this hot path; only a miss is looked at further. A malformed id is the
      // route's validator's to refuse (400 with the issue), not "unknown".
      if (!registry.find(site) && SiteIdSchema.safeParse(site).success) registry.get(site);
    }
    await next();
  });
}
