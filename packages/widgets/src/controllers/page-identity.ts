/**
 * The page a widget belongs to: its `page` attribute verbatim, else the path of the document's
 * `<link rel="canonical">`, else `location.pathname` (never the query or hash).
 */
export function pageIdentity(page?: string | null, doc: Document = document): string {
  if (page) return page;
  const canonical = doc.querySelector<HTMLLinkElement>('link[rel~="canonical" i][href]');
  if (canonical) {
    try {
      return new URL(canonical.href, doc.baseURI).pathname;
    } catch {
      // An unparsable canonical URL falls through to the location.
    }
  }
  return doc.location?.pathname || '/';
}
