import type { RelatedArticle } from '@parley/schema';
import { toRelatedArticle, type ArticleDocument, type Recommender } from './recommender.ts';
import { tokenize } from './tokenize.ts';

/** How much a word counts depending on where it appears: tags say most about the topic. */
export const FIELD_WEIGHTS = { tags: 3, section: 2, title: 2, description: 1, body: 1 } as const;

type TermWeights = Map<string, number>;

function termWeights(article: ArticleDocument): TermWeights {
  const weights: TermWeights = new Map();
  const add = (text: string | null, weight: number) => {
    for (const term of tokenize(text)) weights.set(term, (weights.get(term) ?? 0) + weight);
  };
  add(article.tags.join(' '), FIELD_WEIGHTS.tags);
  add(article.section, FIELD_WEIGHTS.section);
  add(article.title, FIELD_WEIGHTS.title);
  add(article.description, FIELD_WEIGHTS.description);
  add(article.body, FIELD_WEIGHTS.body);
  return weights;
}

/** Newest first; undated articles last; page key keeps the order stable. */
function byRecency(a: ArticleDocument, b: ArticleDocument): number {
  if (a.publishedAt !== b.publishedAt) {
    if (a.publishedAt === null) return 1;
    if (b.publishedAt === null) return -1;
    return a.publishedAt < b.publishedAt ? 1 : -1;
  }
  return a.pageKey < b.pageKey ? -1 : a.pageKey > b.pageKey ? 1 : 0;
}

interface IndexedDocument {
  article: ArticleDocument;
  terms: TermWeights;
}

/** One site's articles with document frequencies; norms depend on IDF so they are recomputed lazily. */
export class SiteIndex {
  private readonly documents = new Map<string, IndexedDocument>();
  private readonly documentFrequency = new Map<string, number>();
  private norms: Map<string, number> | undefined;

  constructor(articles: readonly ArticleDocument[] = []) {
    this.upsert(articles);
  }

  get size(): number {
    return this.documents.size;
  }

  upsert(articles: readonly ArticleDocument[]): void {
    for (const article of articles) {
      this.removeOne(article.pageKey);
      const terms = termWeights(article);
      this.documents.set(article.pageKey, { article, terms });
      for (const term of terms.keys()) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    }
    this.norms = undefined;
  }

  remove(pageKeys: readonly string[]): void {
    for (const pageKey of pageKeys) this.removeOne(pageKey);
    this.norms = undefined;
  }

  private removeOne(pageKey: string): void {
    const existing = this.documents.get(pageKey);
    if (!existing) return;
    this.documents.delete(pageKey);
    for (const term of existing.terms.keys()) {
      const left = (this.documentFrequency.get(term) ?? 1) - 1;
      if (left > 0) this.documentFrequency.set(term, left);
      else this.documentFrequency.delete(term);
    }
  }

  /** Smoothed IDF: rare words weigh more, a word in every article still counts a little. */
  private idf(term: string): number {
    const df = this.documentFrequency.get(term) ?? 0;
    return df === 0 ? 0 : Math.log(1 + this.documents.size / df);
  }

  private norm(pageKey: string): number {
    if (!this.norms) {
      this.norms = new Map();
      for (const [key, doc] of this.documents) {
        let sum = 0;
        for (const [term, tf] of doc.terms) sum += (tf * this.idf(term)) ** 2;
        this.norms.set(key, Math.sqrt(sum));
      }
    }
    return this.norms.get(pageKey) ?? 0;
  }

  /**
   * Articles most similar to `pageKey` by TF-IDF cosine, then the most recent ones to fill up to
   * `limit` (also the whole answer when the page is unknown or shares no words with anything).
   */
  related(pageKey: string, limit: number): ArticleDocument[] {
    const current = this.documents.get(pageKey);
    const scored: { article: ArticleDocument; score: number }[] = [];
    if (current) {
      const currentNorm = this.norm(pageKey);
      for (const [key, doc] of this.documents) {
        if (key === pageKey) continue;
        let dot = 0;
        for (const [term, tf] of current.terms) {
          const other = doc.terms.get(term);
          if (other !== undefined) dot += tf * other * this.idf(term) ** 2;
        }
        const denominator = currentNorm * this.norm(key);
        const score = denominator > 0 ? dot / denominator : 0;
        if (score > 0) scored.push({ article: doc.article, score });
      }
      scored.sort((a, b) => b.score - a.score || byRecency(a.article, b.article));
    }
    const picked = scored.slice(0, limit).map((entry) => entry.article);
    if (picked.length < limit) {
      const taken = new Set(picked.map((article) => article.pageKey));
      const recent = [...this.documents.values()]
        .map((doc) => doc.article)
        .filter((article) => article.pageKey !== pageKey && !taken.has(article.pageKey))
        .sort(byRecency);
      picked.push(...recent.slice(0, limit - picked.length));
    }
    return picked;
  }
}

/** Loads every article of a site from the store. */
export type LoadSiteArticles = (site: string) => Promise<ArticleDocument[]>;

/**
 * In-memory TF-IDF ranker. Each site's index is built from the store on its first query and kept
 * up to date by `upsert`/`remove`, which the articles service calls after each commit.
 * Writes from another process (e.g. the CLI import) are seen after a restart.
 */
export class TfIdfRecommender implements Recommender {
  private readonly built = new Map<string, SiteIndex>();
  private readonly loading = new Map<string, Promise<SiteIndex>>();

  constructor(private readonly loadSiteArticles: LoadSiteArticles) {}

  async related(site: string, pageKey: string, limit: number): Promise<RelatedArticle[]> {
    const index = await this.indexFor(site);
    return index.related(pageKey, limit).map(toRelatedArticle);
  }

  upsert(site: string, articles: readonly ArticleDocument[]): void {
    const index = this.built.get(site);
    if (index) index.upsert(articles);
    // A load in flight may have read the store before this write: drop it, the next query reloads.
    this.loading.delete(site);
  }

  remove(site: string, pageKeys: readonly string[]): void {
    this.built.get(site)?.remove(pageKeys);
    this.loading.delete(site);
  }

  private indexFor(site: string): Promise<SiteIndex> {
    const built = this.built.get(site);
    if (built) return Promise.resolve(built);
    const inFlight = this.loading.get(site);
    if (inFlight) return inFlight;
    const load = this.loadSiteArticles(site).then((articles) => {
      const index = new SiteIndex(articles);
      // Keep it only if no write invalidated this load meanwhile. Empty sites are not kept, so
      // queries naming arbitrary sites cannot grow memory; their reload is one indexed query.
      if (this.loading.get(site) === load) {
        this.loading.delete(site);
        if (index.size > 0) this.built.set(site, index);
      }
      return index;
    });
    load.catch(() => {
      if (this.loading.get(site) === load) this.loading.delete(site);
    });
    this.loading.set(site, load);
    return load;
  }
}
