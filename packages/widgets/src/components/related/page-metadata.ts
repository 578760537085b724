import type { ArticleDiscover } from '@parley/schema';
import type * as Limits from '@parley/schema/limits';

/** The server's limits on what a page reports (passed in: this module is its own chunk, and must not split the limits out of the embed). */
export type MetadataLimits = Pick<typeof Limits, 'ARTICLE_DESCRIPTION_MAX_LENGTH' | 'ARTICLE_TAG_MAX_LENGTH' | 'ARTICLE_TAGS_MAX' | 'ARTICLE_TITLE_MAX_LENGTH'>;

/** What a page's `<head>` says about it, as `POST /api/articles/discover` takes it (without `site`). */
export type PageMetadata = Omit<ArticleDiscover, 'site'>;

/**
 * Reads the page's own description of itself: `<link rel=canonical>` (else the location without
 * query or hash), `og:title` (else `<title>`), `og:description` (else `<meta name=description>`),
 * `og:image`, every `article:tag`, `article:section` and `article:published_time`. Text is cut to
 * the server's limits; unusable values (a `data:` image, an unreadable date) are left out.
 * Undefined when the page has no title to report.
 */
export function readPageMetadata(limits: MetadataLimits, doc: Document = document): PageMetadata | undefined {
  const { ARTICLE_DESCRIPTION_MAX_LENGTH, ARTICLE_TAG_MAX_LENGTH, ARTICLE_TAGS_MAX, ARTICLE_TITLE_MAX_LENGTH } = limits;
  const all = (attribute: string) =>
    [...doc.head.querySelectorAll<HTMLMetaElement>(`meta[${attribute}]`)].map((meta) => meta.content.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const first = (...attributes: string[]) => attributes.flatMap(all)[0];
  /** Absolute http(s), without the fragment. */
  const absolute = (value: string | null | undefined) => {
    if (!value) return undefined;
    try {
      const url = new URL(value, doc.baseURI);
      url.hash = '';
      return /^https?:$/.test(url.protocol) ? url.href : undefined;
    } catch {
      return undefined;
    }
  };
  const url = absolute(doc.head.querySelector('link[rel~="canonical" i]')?.getAttribute('href')) ?? absolute(doc.location.pathname);
  const title = (first('property="og:title"') ?? doc.title.replace(/\s+/g, ' ').trim()).slice(0, ARTICLE_TITLE_MAX_LENGTH);
  if (!url || !title) return undefined;
  const metadata: PageMetadata = { url, title };
  const description = first('property="og:description"', 'name="description"');
  if (description) metadata.description = description.slice(0, ARTICLE_DESCRIPTION_MAX_LENGTH);
  const image = absolute(first('property="og:image"'));
  if (image) metadata.image = image;
  const tags = [...new Set(all('property="article:tag"').map((tag) => tag.slice(0, ARTICLE_TAG_MAX_LENGTH)))].slice(0, ARTICLE_TAGS_MAX);
  if (tags.length) metadata.tags = tags;
  const section = first('property="article:section"');
  if (section) metadata.section = section.slice(0, ARTICLE_TAG_MAX_LENGTH);
  const time = Date.parse(first('property="article:published_time"')!);
  if (!Number.isNaN(time)) metadata.publishedAt = new Date(time).toISOString();
  return metadata;
}
