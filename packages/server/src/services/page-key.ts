/**
 * The key articles are stored under and pages are looked up by: the URL's pathname.
 * Absolute URLs are reduced to their pathname; root-relative paths lose query and hash.
 * Anything else (a bare key such as `post-42`) is kept as it is.
 */
export function pageKeyOf(urlOrPath: string): string {
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
