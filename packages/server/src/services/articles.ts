import type { ArticleInput, ArticlesUpsert, ArticlesUpsertResult } from '@parley/schema';
import type { Clock } from '../clock.ts';
import type { ArticleDocument, Recommender } from '../recommend/recommender.ts';
import { findExistingPageKeys, listArticles, upsertArticles } from '../store/articles.repository.ts';
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
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly recommender?: Recommender,
  ) {}

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
    return { site, inserted, updated: rows.length - inserted };
  }

  private toRow(site: string, article: ArticleInput, now: string): NewArticleRow {
    return {
      site,
      page_key: pageKeyOf(article.url),
      url: article.url,
      title: article.title,
      description: emptyToNull(article.description),
      image: emptyToNull(article.image),
      section: emptyToNull(article.section),
      tags: JSON.stringify(article.tags ?? []),
      published_at: normaliseDate(article.publishedAt),
      body: emptyToNull(article.body),
      created_at: now,
      updated_at: now,
    };
  }
}
