/**
 * The key articles are stored under and pages are looked up by: the URL's pathname.
 * Absolute URLs are reduced to their pathname; root-relative paths lose query and hash.
 * A trailing slash is dropped (`/a1/` is `/a1`). Anything else (a bare key such as `post-42`) is kept as it is.
 */
export function pageKeyOf(urlOrPath: string): string {
  const value = urlOrPath.trim();
  if (/^https?:\/\//i.test(value)) {
    try {
      return withoutTrailingSlash(new URL(value).pathname);
    } catch {
      return value;
    }
  }
  if (value.startsWith('/')) return withoutTrailingSlash(value.replace(/[?#].*$/s, '') || '/');
  return value;
}

/** `/a1/` and `/a1` are one page (servers answer both with the same article); `/` stays `/`. */
function withoutTrailingSlash(path: string): string {
  return path.replace(/\/+$/, '') || '/';
}

/**
 * The page a `<parley-comments>` element names by default: the URL's pathname exactly as the
 * browser has it (no trailing-slash folding: threads are keyed by what the widget sends).
 */
export function commentPageOf(urlOrPath: string): string {
  const value = urlOrPath.trim();
  if (/^https?:\/\//i.test(value)) {
    try {
      return new URL(value).pathname;
    } catch {
      return value;
    }
  }
  if (value.startsWith('/')) return value.replace(/[?#].*$/s, '') || '/';
  return value;
}
