import type { ArticleDiscover, ArticleDiscoverResult, ArticleInput, ArticlesUpsert, ArticlesUpsertResult } from '@parley/schema';
import type { Clock } from '../clock.ts';
import type { ArticleDocument, Recommender } from '../recommend/recommender.ts';
import type { Notifier } from './live/notifier.ts';
import { AppError } from '../lib/errors.ts';
import { assertOriginAllowed } from '../middleware/site-origin.ts';
import { enforceRateLimits, type RateLimitStore } from '../rate-limit/rate-limit.ts';
import type { SiteRegistry } from '../sites/registry.ts';
import { deleteArticle, findExistingPageKeys, listArticles, upsertArticles, upsertDiscoveredArticle } from '../store/articles.repository.ts';
import type { ArticleRow, NewArticleRow } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { pageKeyOf } from './page-key.ts';

/** Stored dates are UTC with milliseconds, whatever offset the input used. */
function normaliseDate(value: string | undefined): string | null {
  return value === undefined ? null : new Date(value).toISOString();
}

function emptyToNull(value: string | undefined): string | null {
  return value ? value : null;
}

export function toArticleDocument(row: ArticleRow): ArticleDocument {
  return {
    pageKey: row.page_key,
    url: row.url,
    title: row.title,
    description: row.description,
    image: row.image,
    section: row.section,
    tags: parseTags(row.tags),
    publishedAt: row.published_at,
    body: row.body,
    published: row.published !== 0,
  };
}

function parseTags(json: string): string[] {
  try {
    const tags: unknown = JSON.parse(json);
    return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [];
  } catch {
    return [];
  }
}

export class ArticlesService {
  #sites: SiteRegistry | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private recommender?: Recommender,
  ) {}

  private notifier: Notifier | undefined;

  /** Checks absolute article URLs against each site's origins (the app sets it; the CLI import has none). */
  useSites(sites: SiteRegistry): void {
    this.#sites = sites;
  }

  /** Sets the index kept in step with writes (it is built from this service's `list`). */
  useRecommender(recommender: Recommender): void {
    this.recommender = recommender;
  }

  /** Other instances' indexes hear of this one's article writes through it. */
  useNotifier(notifier: Notifier): void {
    this.notifier = notifier;
  }

  /** After commit: this process's index directly, other processes through the notifier. */
  private changed(site: string, pageKeys: string[]): void {
    this.notifier?.publish({ kind: 'articles', site, pageKeys });
  }

  /** Every article of a site, for indexing. */
  async list(site: string): Promise<ArticleDocument[]> {
    return (await listArticles(this.store.db, site)).map(toArticleDocument);
  }

  /**
   * Inserts or updates every article in ONE transaction: all or nothing.
   * Two items with the same page key in one request: the later one wins and counts once.
   */
  async upsert({ site, articles }: ArticlesUpsert): Promise<ArticlesUpsertResult> {
    const now = this.clock.now().toISOString();
    const byPageKey = new Map<string, NewArticleRow>();
    for (const article of articles) {
      const row = this.toRow(site, article, now);
      byPageKey.delete(row.page_key); // re-insert so the map keeps the last occurrence's position
      byPageKey.set(row.page_key, row);
    }
    const rows = [...byPageKey.values()];
    const inserted = await this.store.transaction(async (trx) => {
      const existing = await findExistingPageKeys(trx, site, [...byPageKey.keys()]);
      await upsertArticles(trx, rows);
      return rows.length - existing.size;
    });
    // Only after the commit: the index never sees articles that were rolled back.
    this.recommender?.upsert(site, rows.map((row) => toArticleDocument(row as ArticleRow)));
    this.changed(site, rows.map((row) => row.page_key));
    return { site, inserted, updated: rows.length - inserted };
  }

  /** Deletes one article by URL; 404 when the site has none there. */
  async delete(site: string, url: string): Promise<{ site: string; url: string; deleted: true }> {
    const pageKey = pageKeyOf(url);
    const deleted = await this.store.transaction((trx) => deleteArticle(trx, site, pageKey));
    if (!deleted) throw new AppError(404, 'not_found', `No article at ${url} in site "${site}"`);
    this.recommender?.remove(site, [pageKey]);
    this.changed(site, [pageKey]);
    return { site, url, deleted: true };
  }

  /**
   * Stores what a page reported about itself, unless the site already has an article there (the
   * owner's, or one another page reported first): nothing is ever retitled by discovery.
   * `stored` says whether anything was written.
   */
  async discovered(report: ArticleDiscover): Promise<ArticleDiscoverResult> {
    const row = this.toRow(report.site, report, this.clock.now().toISOString());
    const written = await upsertDiscoveredArticle(this.store.db, { ...row, source: 'discovered' });
    if (written) {
      this.recommender?.upsert(report.site, [toArticleDocument(written)]);
      this.changed(report.site, [written.page_key]);
    }
    return { site: report.site, url: report.url, stored: written !== undefined };
  }

  private siteUrl(site: string, value: string, field: 'url' | 'image'): string {
    return resolveArticleUrl(value, this.#sites?.find(site)?.origins, field);
  }

  private toRow(site: string, article: ArticleInput, now: string): NewArticleRow {
    const url = this.siteUrl(site, article.url, 'url');
    return {
      site,
      page_key: pageKeyOf(url),
      url,
      title: article.title,
      description: emptyToNull(article.description),
      image: article.image ? this.siteUrl(site, article.image, 'image') : null,
      section: emptyToNull(article.section),
      tags: JSON.stringify(article.tags ?? []),
      published_at: normaliseDate(article.publishedAt),
      body: emptyToNull(article.body),
      published: article.published === false ? 0 : 1,
      source: 'owner',
      created_at: now,
      updated_at: now,
    };
  }
}

/**
 * Cards link to `url` and show `image`, so both are resolved with the WHATWG URL parser (as the
 * reader's browser will) and stored in that resolved form:
 * - a path must stay on the site's origin (the schema already refused `//host`, `/\\host`, tabs);
 * - `url`, absolute: on one of the site's origins when the site lists them (`"*"`: any http(s));
 * - `image`, absolute: any http(s) host (images live on CDNs); discovery narrows it to the page's origin.
 */
function resolveArticleUrl(value: string, origins: readonly string[] | undefined, field: 'url' | 'image'): string {
  const probe = 'https://parley-site.invalid';
  const resolved = new URL(value, probe);
  const isPath = value.startsWith('/');
  if (isPath ? resolved.origin !== probe : resolved.protocol !== 'https:' && resolved.protocol !== 'http:') {
    throw new AppError(400, 'validation_failed', `Invalid request: ${field}: "${value}" does not stay on the site`, [{ path: field, message: 'must be a path on the site or an http(s) URL' }]);
  }
  if (isPath) return `${resolved.pathname}${resolved.search}${resolved.hash}`;
  const listed = (origins ?? ['*']).filter((origin) => origin !== '*');
  if (field === 'url' && listed.length > 0 && !listed.includes(resolved.origin)) {
    throw new AppError(400, 'validation_failed', `Invalid request: url: ${resolved.origin} is not an origin of this site`, [{ path: field, message: `must be on ${listed.join(' or ')}` }]);
  }
  return resolved.href;
}

/** Reports per client IP hash and site, and per site from everyone, in each window. */
export const DISCOVERY_LIMITS = {
  perIp: { max: 60, windowSeconds: 600 },
  perSite: { max: 1_000, windowSeconds: 3_600 },
} as const;

export interface DiscoveryDeps {
  articles: ArticlesService;
  sites: SiteRegistry;
  limits: RateLimitStore;
  /** Keyed hash of a client address (the address itself is never kept, not even as a counter key). */
  ipHash: (ip: string) => string | Promise<string>;
}

/**
 * Auto-discovery: `<parley-related discover>` reports its page's metadata. The server only stores
 * what it is told — it never fetches the URL (a reader chooses what the browser sends) — so the
 * report is accepted only when the site opted in (`discovery: true`), the request comes from one of
 * the site's origins, an absolute URL is on that very origin, and the sender is within its limits.
 */
export class DiscoveryService {
  constructor(private readonly deps: DiscoveryDeps) {}

  async report(report: ArticleDiscover, context: { origin: string | undefined; ip: string }): Promise<ArticleDiscoverResult> {
    const { sites, limits, articles } = this.deps;
    const { origin } = context;
    // A page's report always carries its Origin (browsers send it on every POST); without one it is not a page's.
    if (origin === undefined) throw new AppError(403, 'origin_not_allowed', 'Discovery reports are accepted from pages only (no Origin header)');
    assertOriginAllowed(sites, report.site, origin);
    const site = sites.get(report.site);
    if (!site.discovery) throw new AppError(403, 'forbidden', `Auto-discovery is off for site "${site.id}"`);
    if (report.image && /^https?:\/\//i.test(report.image) && new URL(report.image).origin !== origin) {
      // A page may show only its own site's images under related cards (no third-party pixels via discovery).
      throw new AppError(403, 'origin_not_allowed', `A page on ${origin} may report only images on its own origin`);
    }
    if (/^https?:\/\//i.test(report.url)) {
      // A relative URL is on the reporting page's own origin by definition; an absolute one must be too.
      const urlOrigin = new URL(report.url).origin;
      if (urlOrigin !== origin || !sites.allowsOrigin(site.id, urlOrigin)) {
        throw new AppError(403, 'origin_not_allowed', `A page on ${origin} may report only its own URLs, not ${urlOrigin}`);
      }
    }
    const ipHash = await this.deps.ipHash(context.ip);
    await enforceRateLimits(limits, [
      { key: `discover:${site.id}:ip:${ipHash}`, ...DISCOVERY_LIMITS.perIp, label: 'from your network' },
      { key: `discover:${site.id}`, ...DISCOVERY_LIMITS.perSite, label: 'for this site' },
    ]);
    return articles.discovered(report);
  }
}
