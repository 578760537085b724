import type { RelatedArticle } from '@parley/schema';

/** An article as the recommender sees it (camelCase, tags parsed). */
export interface ArticleDocument {
  pageKey: string;
  url: string;
  title: string;
  description: string | null;
  image: string | null;
  section: string | null;
  tags: string[];
  publishedAt: string | null;
  body: string | null;
  /** False: kept for its own page's recommendations but never shown. Missing means published. */
  published?: boolean;
}

/**
 * The seam the related-articles service talks to. The TF-IDF ranker is the first one;
 * a stronger recommender replaces it without touching routes or services.
 */
export interface Recommender {
  related(site: string, pageKey: string, limit: number): Promise<RelatedArticle[]>;
  /** Tells the recommender about articles just written to the store. */
  upsert(site: string, articles: readonly ArticleDocument[]): void;
  remove(site: string, pageKeys: readonly string[]): void;
  /** Tells the recommender a page's pinned picks changed. */
  setPins?(site: string, pageKey: string, targets: readonly string[]): void;
  /**
   * Another process wrote these articles or pins (or, without `pageKeys`, anything of the site):
   * re-read them from the store. Absent site indexes are built fresh on their next query anyway.
   */
  reload?(site: string, pageKeys?: readonly string[]): Promise<void>;
  /** Changes may have been missed: re-read every site held in memory. */
  reloadAll?(): Promise<void>;
}

export function toRelatedArticle(article: ArticleDocument, commentCount = 0): RelatedArticle {
  return {
    commentCount,
    url: article.url,
    title: article.title,
    description: article.description,
    image: article.image,
    section: article.section,
    tags: article.tags,
    publishedAt: article.publishedAt,
  };
}
