/**
 * Quality of "You may also like" on a labelled corpus: every labelled document is a query, and a
 * recommendation is relevant when it shares at least one label with the query.
 */
import { RelatedIndex, resolveRelatedSettings, type ArticleDocument, type RelatedSettingsOverride } from '@parley/server/recommend';
import type { CorpusDocument } from './corpora.ts';

export const K = 5;
export const NOW = Date.parse('2026-01-01T00:00:00Z');

export interface Quality {
  queries: number;
  /** Precision@5 averaged over queries. */
  micro: number;
  /** Precision@5 averaged per label (each query counts under each of its labels), then over labels. */
  perTopic: number;
  /** nDCG@5 with binary relevance; the ideal list holds min(5, relevant documents in the corpus). */
  ndcg: number;
  /** Share of queries that get at least 3 recommendations from relevance (not from the recent-articles fallback). */
  coverage: number;
}

export function toArticle(doc: CorpusDocument, publishedAt: string | null = null): ArticleDocument {
  const pageKey = `/doc/${encodeURIComponent(doc.id)}`;
  return { pageKey, url: pageKey, title: doc.title, description: null, image: null, section: null, tags: doc.tags ?? [], publishedAt, body: doc.body };
}

/** Settings that reduce the ranker to a plain TF-IDF cosine over all the text. */
export const BASELINE: RelatedSettingsOverride = {
  scoring: 'tfidf',
  sublinearTf: false,
  stemming: false,
  fieldWeights: { title: 1, tags: 1, section: 1, description: 1, body: 1 },
  queryTerms: 0,
  queryTermShare: 0,
  leadWords: 0,
  cosineWeight: 0,
  championListSize: 0,
  maxDocumentShare: 1,
  duplicateThreshold: 2,
  diversity: 0,
  discussionWeight: 0,
  recencyHalfLifeDays: 0,
};

export function mergeSettings(a: RelatedSettingsOverride, b: RelatedSettingsOverride): RelatedSettingsOverride {
  return { ...a, ...b, fieldWeights: { ...a.fieldWeights, ...b.fieldWeights }, bm25: { ...a.bm25, ...b.bm25 } };
}

export interface Judged {
  index: RelatedIndex;
  keys: string[];
  labelsByKey: Map<string, Set<string>>;
  /** How many other documents share a label with each one (the most a query could find). */
  relevantCount: Map<string, number>;
}

/** Builds the index and the relevance judgements once per corpus and settings. */
export function judge(corpus: readonly CorpusDocument[], override: RelatedSettingsOverride): Judged {
  const articles = corpus.map((doc) => toArticle(doc));
  const index = new RelatedIndex(resolveRelatedSettings(override), articles);
  const labelsByKey = new Map(corpus.map((doc, i) => [articles[i]!.pageKey, new Set(doc.topics)]));
  const perLabel = new Map<string, number>();
  for (const doc of corpus) for (const topic of new Set(doc.topics)) perLabel.set(topic, (perLabel.get(topic) ?? 0) + 1);
  const relevantCount = new Map<string, number>();
  // Exact for single-label documents, an upper bound for multi-label ones (cheap, and only caps the ideal list at 5).
  for (const [key, labels] of labelsByKey) relevantCount.set(key, Math.max(0, ...[...labels].map((label) => perLabel.get(label)! - 1)));
  const keys = corpus.filter((doc) => doc.topics.length > 0).map((doc) => toArticle(doc).pageKey);
  return { index, keys, labelsByKey, relevantCount };
}

export function isRelevant(judged: Judged, query: string, result: string): boolean {
  const labels = judged.labelsByKey.get(query)!;
  const other = judged.labelsByKey.get(result);
  return other !== undefined && [...other].some((label) => labels.has(label));
}

/** Precision, nDCG and coverage of one ranked list. */
export function scoreList(judged: Judged, query: string, results: readonly string[], fromRelevance: number) {
  let hits = 0;
  let dcg = 0;
  results.slice(0, K).forEach((key, rank) => {
    if (!isRelevant(judged, query, key)) return;
    hits += 1;
    dcg += 1 / Math.log2(rank + 2);
  });
  let ideal = 0;
  for (let rank = 0; rank < Math.min(K, judged.relevantCount.get(query)!); rank += 1) ideal += 1 / Math.log2(rank + 2);
  return { precision: hits / K, ndcg: ideal > 0 ? dcg / ideal : 0, covered: fromRelevance >= 3 };
}

export function summarise(judged: Judged, lists: Map<string, { precision: number; ndcg: number; covered: boolean }>): Quality {
  let precision = 0;
  let ndcg = 0;
  let covered = 0;
  const byTopic = new Map<string, { sum: number; count: number }>();
  for (const [key, score] of lists) {
    precision += score.precision;
    ndcg += score.ndcg;
    if (score.covered) covered += 1;
    for (const topic of judged.labelsByKey.get(key)!) {
      const t = byTopic.get(topic) ?? { sum: 0, count: 0 };
      t.sum += score.precision;
      t.count += 1;
      byTopic.set(topic, t);
    }
  }
  let macro = 0;
  for (const { sum, count } of byTopic.values()) macro += sum / count;
  const n = lists.size;
  return { queries: n, micro: round(precision / n), perTopic: round(macro / byTopic.size), ndcg: round(ndcg / n), coverage: round(covered / n) };
}

/** Every labelled document as a query against an index of the whole corpus. */
export function evaluate(corpus: readonly CorpusDocument[], override: RelatedSettingsOverride): Quality {
  return evaluateJudged(judge(corpus, override));
}

/**
 * The same on an index already built. Settings read only at query time (query terms, cosine
 * re-ranking, diversity…) may be changed on `judged.index.settings` between calls: the grid
 * search builds one index per field/BM25 setting instead of one per grid point.
 */
export function evaluateJudged(judged: Judged): Quality {
  const lists = new Map<string, ReturnType<typeof scoreList>>();
  for (const key of judged.keys) {
    const relevance = new Set(judged.index.candidates(key, K * 6, NOW).map(({ article }) => article.pageKey));
    const results = judged.index.related(key, { limit: K, now: NOW }).map((article) => article.pageKey);
    lists.set(key, scoreList(judged, key, results, results.filter((result) => relevance.has(result)).length));
  }
  return summarise(judged, lists);
}

export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
