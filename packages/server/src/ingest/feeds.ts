import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ArticleInputSchema, ARTICLE_DESCRIPTION_MAX_LENGTH, ARTICLE_TAGS_MAX, type ArticleInput } from '@parley/schema';

/** One item that could not be imported, named so a site owner can find it in the file. */
export interface IngestProblem {
  source: string;
  /** 1-based position of the item in the feed, or undefined for the whole file. */
  item?: number;
  /** The item's link or title, when it has one. */
  label?: string;
  message: string;
}

export interface IngestResult {
  format: 'rss' | 'atom' | 'json-feed' | 'sitemap' | 'sitemap-index' | 'articles-json';
  articles: ArticleInput[];
  problems: IngestProblem[];
  /** Sitemap indexes list further sitemaps instead of articles. */
  sitemaps: string[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  // CDATA sections merge into the text; entities are decoded; numbers stay strings.
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => ['item', 'entry', 'url', 'sitemap', 'category', 'link', 'tag', 'content', 'thumbnail', 'image'].includes(name),
});

type Node = Record<string, unknown>;

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The text of an element that may be a string, `{ '#text' }` or an array of either. */
function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return text(value[0]);
  if (typeof value === 'object') return text((value as Node)['#text']);
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Plain text from HTML-ish content (descriptions and bodies are only ranked and shown as text). */
function plain(html: string | undefined): string | undefined {
  if (!html) return undefined;
  const stripped = html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/ ([.,;:!?])/g, '$1')
    .trim();
  return stripped || undefined;
}

const clip = (value: string | undefined, max: number) => (value && value.length > max ? `${value.slice(0, max - 1)}…` : value);

/** RFC 822 (RSS), RFC 3339 (Atom) and the usual sloppiness; undefined when unreadable. */
export function parseFeedDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let candidate = value.trim();
  // "2024-05-01 10:00:00" → ISO; a bare date stays a date (UTC midnight).
  if (/^\d{4}-\d{2}-\d{2} \d/.test(candidate)) candidate = candidate.replace(' ', 'T');
  // Named zones that Date.parse does not know.
  candidate = candidate.replace(/\b(UT)\b/, 'GMT');
  const time = Date.parse(candidate);
  if (Number.isNaN(time)) return undefined;
  const year = new Date(time).getUTCFullYear();
  return year < 1900 || year > 2200 ? undefined : new Date(time).toISOString();
}

/** Resolves a link against the feed's base; keeps only http(s). */
function resolveUrl(link: string | undefined, base: string | undefined): string | undefined {
  if (!link) return undefined;
  try {
    const url = base ? new URL(link, base) : new URL(link);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    // No absolute base: a root-relative path is still a valid article URL.
    return link.startsWith('/') && !link.startsWith('//') ? link : undefined;
  }
}

interface Draft {
  label?: string;
  url?: string;
  title?: string;
  description?: string;
  image?: string;
  tags: string[];
  section?: string;
  rawDate?: string;
  body?: string;
}

function finish(source: string, drafts: Draft[], format: IngestResult['format']): IngestResult {
  const problems: IngestProblem[] = [];
  const articles: ArticleInput[] = [];
  const seen = new Map<string, number>();
  drafts.forEach((draft, index) => {
    const item = index + 1;
    const label = draft.url ?? draft.title ?? draft.label;
    const problem = (message: string) => problems.push({ source, item, ...(label ? { label } : {}), message });
    if (!draft.url) return problem('no link (or not an http(s) URL): skipped');
    if (!draft.title) return problem('no title: skipped');
    const publishedAt = parseFeedDate(draft.rawDate);
    if (draft.rawDate && !publishedAt) problem(`unreadable date "${draft.rawDate}": imported without a date`);
    const tags = [...new Set(draft.tags.map((tag) => tag.trim()).filter((tag) => tag && tag.length <= 60))].slice(0, ARTICLE_TAGS_MAX);
    const candidate = {
      url: draft.url,
      title: draft.title.slice(0, 300),
      ...(draft.description ? { description: clip(draft.description, ARTICLE_DESCRIPTION_MAX_LENGTH) } : {}),
      ...(draft.image ? { image: draft.image } : {}),
      ...(tags.length ? { tags } : {}),
      ...(draft.section ? { section: draft.section.slice(0, 60) } : {}),
      ...(publishedAt ? { publishedAt } : {}),
      ...(draft.body ? { body: draft.body.slice(0, 200_000) } : {}),
    };
    const parsed = ArticleInputSchema.safeParse(candidate);
    if (!parsed.success) return problem(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    const earlier = seen.get(parsed.data.url);
    if (earlier !== undefined) {
      problem(`duplicate of item ${earlier}: the later one wins`);
      articles.splice(articles.findIndex((a) => a.url === parsed.data.url), 1);
    }
    seen.set(parsed.data.url, item);
    articles.push(parsed.data);
  });
  return { format, articles, problems, sitemaps: [] };
}

function rss(source: string, channel: Node, base: string | undefined): IngestResult {
  const channelBase = resolveUrl(text(channel.link), base) ?? base;
  const drafts = asArray(channel.item as Node[]).map((item): Draft => {
    const link = text(item.link) ?? (text(item.guid) && /^https?:/.test(text(item.guid)!) ? text(item.guid) : undefined);
    const media = [...asArray(item.content as Node[]), ...asArray(item.thumbnail as Node[])].find((m) => typeof m === 'object' && m['@url']);
    const enclosure = item.enclosure as Node | undefined;
    const image =
      (media && String(media['@url'])) ?? (enclosure && /^image\//.test(String(enclosure['@type'] ?? '')) ? String(enclosure['@url']) : undefined);
    const categories = asArray(item.category).map(text).filter((c): c is string => !!c);
    // `content:encoded` loses its prefix: a string `content` element is the full body.
    const encoded = asArray(item.encoded).map(text)[0] ?? asArray(item.content as unknown[]).map((c) => (typeof c === 'string' ? c : undefined)).find(Boolean);
    return {
      url: resolveUrl(link, channelBase),
      title: plain(text(item.title)),
      description: plain(text(item.description)),
      image: resolveUrl(image, channelBase),
      tags: categories,
      section: categories[0],
      rawDate: text(item.pubDate) ?? text(item.date),
      body: plain(encoded) ?? plain(text(item.description)),
      label: text(item.guid),
    };
  });
  return finish(source, drafts, 'rss');
}

function atom(source: string, feed: Node, base: string | undefined): IngestResult {
  const alternate = (links: unknown) =>
    asArray(links as Node[]).find((l) => typeof l === 'object' && (l['@rel'] === undefined || l['@rel'] === 'alternate'))?.['@href'] as string | undefined;
  const feedBase = resolveUrl(text(feed['@base']), base) ?? resolveUrl(alternate(feed.link), base) ?? base;
  const drafts = asArray(feed.entry as Node[]).map((entry): Draft => {
    const entryBase = resolveUrl(text(entry['@base']), feedBase) ?? feedBase;
    const categories = asArray(entry.category as Node[]).map((c) => String((typeof c === 'object' && (c['@label'] ?? c['@term'])) || '')).filter(Boolean);
    const enclosure = asArray(entry.link as Node[]).find((l) => typeof l === 'object' && l['@rel'] === 'enclosure' && /^image\//.test(String(l['@type'] ?? '')));
    const media = [...asArray(entry.thumbnail as Node[]), ...asArray(entry.content as Node[])].find((m) => typeof m === 'object' && m['@url']);
    return {
      url: resolveUrl(alternate(entry.link), entryBase),
      title: plain(text(entry.title)),
      description: plain(text(entry.summary)),
      image: resolveUrl((media?.['@url'] as string | undefined) ?? (enclosure?.['@href'] as string | undefined), entryBase),
      tags: categories,
      section: categories[0],
      rawDate: text(entry.published) ?? text(entry.updated),
      body: plain(text(entry.content)) ?? plain(text(entry.summary)),
      label: text(entry.id),
    };
  });
  return finish(source, drafts, 'atom');
}

function sitemap(source: string, urlset: Node, base: string | undefined): IngestResult {
  const drafts = asArray(urlset.url as Node[]).map((entry): Draft => {
    const news = entry.news as Node | undefined;
    const image = asArray(entry.image as Node[])[0];
    const keywords = text(news?.keywords);
    const loc = text(entry.loc);
    return {
      url: resolveUrl(loc, base),
      // Plain sitemaps carry no titles: without Google News or image titles there is nothing to show.
      title: plain(text(news?.title)) ?? plain(text(image?.title)),
      image: resolveUrl(text(image?.loc), base),
      tags: keywords ? keywords.split(',') : [],
      rawDate: text(news?.publication_date) ?? text(entry.lastmod),
      label: loc,
    };
  });
  return finish(source, drafts, 'sitemap');
}

function jsonFeed(source: string, feed: Node, base: string | undefined): IngestResult {
  const feedBase = resolveUrl(text(feed.home_page_url), base) ?? base;
  const drafts = asArray(feed.items as Node[]).map((item): Draft => {
    const tags = Array.isArray(item.tags) ? item.tags.map(String) : [];
    return {
      url: resolveUrl(text(item.url) ?? text(item.external_url), feedBase),
      title: plain(text(item.title)),
      description: plain(text(item.summary)),
      image: resolveUrl(text(item.image) ?? text(item.banner_image), feedBase),
      tags,
      section: tags[0],
      rawDate: text(item.date_published) ?? text(item.date_modified),
      body: text(item.content_text) ?? plain(text(item.content_html)),
      label: text(item.id),
    };
  });
  return finish(source, drafts, 'json-feed');
}

/**
 * Reads an RSS 2.0 / RSS 1.0 (RDF), Atom, JSON Feed or XML sitemap document. `source` names the
 * file or URL in problems; `base` resolves relative links (the feed's URL, when fetched).
 * Throws only when the document as a whole is unreadable; bad items become `problems`.
 */
export function parseFeed(source: string, content: string, base?: string): IngestResult {
  const trimmed = content.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (error) {
      throw new Error(`${source}: not valid JSON (${(error as Error).message})`, { cause: error });
    }
    if (json && typeof json === 'object' && !Array.isArray(json) && String((json as Node).version ?? '').includes('jsonfeed.org')) {
      return jsonFeed(source, json as Node, base);
    }
    throw new Error(`${source}: JSON that is not a JSON Feed (articles files go through importArticlesFile)`);
  }
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) throw new Error(`${source}: not well-formed XML at line ${valid.err.line}: ${valid.err.msg}`);
  const doc = parser.parse(trimmed) as Node;
  if (doc.rss) return rss(source, ((doc.rss as Node).channel as Node) ?? {}, base);
  if (doc.RDF) {
    const rdf = doc.RDF as Node;
    return rss(source, { ...((rdf.channel as Node) ?? {}), item: rdf.item }, base);
  }
  if (doc.feed) return atom(source, doc.feed as Node, base);
  if (doc.urlset) return sitemap(source, doc.urlset as Node, base);
  if (doc.sitemapindex) {
    const sitemaps = asArray((doc.sitemapindex as Node).sitemap as Node[])
      .map((s) => resolveUrl(text(s.loc), base))
      .filter((s): s is string => !!s);
    return { format: 'sitemap-index', articles: [], problems: [], sitemaps };
  }
  throw new Error(`${source}: not a feed or sitemap (root element <${Object.keys(doc).find((k) => !k.startsWith('?')) ?? 'none'}>)`);
}
