import type { SiteRegistry } from '../sites/registry.ts';

/**
 * Where a no-JS form post may send the reader back. The candidate is the form's `return` field,
 * else the page id when it is a path; a relative one is resolved against the posting page's origin
 * (the browser's `Origin` header). It is accepted only when, *after* resolving (so `//evil`,
 * `/\evil` and `https:evil` are judged by the host a browser would go to), it is http(s) on one of
 * the site's origins. A site open to any origin (`"*"`) names none, so there the address must be on
 * the origin that posted the form: a page can only send its readers back to itself. Anything
 * else is refused: no open redirect.
 */
export function returnAddress(sites: SiteRegistry, site: string, candidate: string | undefined, page: string, origin: string | undefined): URL | undefined {
  const target = candidate || (page.startsWith('/') ? page : undefined);
  if (!target) return undefined;
  const postingOrigin = origin && origin !== 'null' ? origin : undefined;
  let url: URL;
  try {
    url = postingOrigin ? new URL(target, postingOrigin) : new URL(target);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) return undefined;
  const settings = sites.find(site);
  if (!settings) return undefined;
  const listed = settings.origins.includes(url.origin);
  const sameAsPoster = postingOrigin !== undefined && url.origin === postingOrigin;
  if (!(listed || (settings.origins.includes('*') && sameAsPoster))) return undefined;
  url.hash = '';
  return url;
}
