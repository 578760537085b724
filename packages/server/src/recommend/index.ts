/** The recommender module: the ranker the server uses, exported for the quality benchmark. */
export { RelatedIndex, type RankOptions, type Scored } from './related-index.ts';
export { DEFAULT_RELATED_SETTINGS, resolveRelatedSettings, type RelatedSettings, type RelatedSettingsOverride } from './settings.ts';
export type { ArticleDocument, Recommender } from './recommender.ts';
export { decayCovisits, covisitWindowDays, type CovisitRow, type Covisits } from './covisits.ts';
export { IndexedRecommender, type RecommenderSource, type IndexedRecommenderOptions } from './indexed-recommender.ts';
