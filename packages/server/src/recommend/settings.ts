import { z } from 'zod';

/**
 * Every knob of the related-articles ranker, in one typed object with defaults, so a per-site
 * config file can supply a partial override (`resolveRelatedSettings`).
 *
 * The defaults were chosen across four corpora of different shapes (newswire, long speeches,
 * technical docs, mailing-list posts) by leave-one-corpus-out validation: `pnpm bench:related --
 * --loo`; `--changes` prints each change's effect on every corpus (README, "Related articles").
 */
export interface RelatedSettings {
  /** `bm25`: saturated, length-normalised term weights; `tfidf`: plain TF-IDF cosine. */
  scoring: 'bm25' | 'tfidf';
  /** How much one occurrence of a word counts in each field. */
  fieldWeights: { title: number; tags: number; section: number; description: number; body: number };
  /** BM25 term-frequency saturation (k1) and length normalisation (b). */
  bm25: { k1: number; b: number };
  /** TF-IDF only: 1 + log(tf) instead of raw tf. */
  sublinearTf: boolean;
  /** The current page is described by at least its strongest N words (0: all); bounds query time. */
  queryTerms: number;
  /** …or by this share of its distinct words when that is more (long texts have more to say); at most 400. */
  queryTermShare: number;
  /** The body's first N words (the lead) count `leadWeight` times; 0 switches it off. */
  leadWords: number;
  leadWeight: number;
  /** Re-ranking: the candidate's relevance (scaled to the best's, 0..1) plus this × its cosine similarity to the page. */
  cosineWeight: number;
  /** A common word's postings are scanned only for its N strongest articles (0: scan all); bounds query time. */
  championListSize: number;
  /** Words found in more than this share of a site's articles are ignored as queries (1: keep all). */
  maxDocumentShare: number;
  /** Reduce words to a stem ("rates" → "rate") before indexing. */
  stemming: boolean;
  /** Half-life of the recency decay, in days; 0 switches the decay off. */
  recencyHalfLifeDays: number;
  /** Share of the score subject to recency decay (0: none, 1: all of it). */
  recencyWeight: number;
  /** Boost for discussed articles: score × (1 + w × log(1 + comments) / log(1 + most comments on the site)). */
  discussionWeight: number;
  /**
   * Boost for candidates in the page's own section (the site's own classification of its articles):
   * score × (1 + w). 0 ignores sections beyond their words.
   */
  sectionWeight: number;
  /** Two candidates at least this similar (cosine, 0..1) are near-duplicates: only the better one is shown. */
  duplicateThreshold: number;
  /** Maximal-marginal-relevance trade-off: 0 ranks by relevance alone, higher spreads results out. */
  diversity: number;
  /**
   * Co-visitation ("readers of A went on to B", from clicks on the cards): score × (1 + w × B's
   * co-visits / the page's most co-visited). 0 ignores what readers do.
   */
  covisitWeight: number;
  /** A page's co-visits count only once they add up to this many (distinct addresses, decayed). */
  covisitThreshold: number;
  /** Half-life of a co-visit, in days (0: no decay). */
  covisitHalfLifeDays: number;
  /** Candidates re-ranked by the boosts, duplicate suppression and diversity. */
  candidatePool: number;
  /** What fills the box when relevance alone finds too little. */
  fallback: 'recent' | 'discussed';
  /** Page-key prefixes never recommended (e.g. `/about`, `/tag/`). */
  excludePaths: string[];
}

export const DEFAULT_RELATED_SETTINGS: RelatedSettings = Object.freeze({
  scoring: 'bm25',
  fieldWeights: Object.freeze({ title: 3, tags: 2, section: 1, description: 1, body: 1 }),
  bm25: Object.freeze({ k1: 3, b: 0.75 }),
  sublinearTf: true,
  queryTerms: 80,
  queryTermShare: 0,
  leadWords: 0,
  leadWeight: 1,
  cosineWeight: 2,
  maxDocumentShare: 0.5,
  championListSize: 1000,
  stemming: true,
  recencyHalfLifeDays: 0,
  recencyWeight: 0.3,
  discussionWeight: 0.1,
  sectionWeight: 1,
  duplicateThreshold: 0.92,
  diversity: 0.1,
  covisitWeight: 1,
  covisitThreshold: 20,
  covisitHalfLifeDays: 14,
  candidatePool: 30,
  fallback: 'recent',
  excludePaths: Object.freeze([]) as unknown as string[],
}) as RelatedSettings;

export type RelatedSettingsOverride = Partial<Omit<RelatedSettings, 'fieldWeights' | 'bm25'>> & {
  fieldWeights?: Partial<RelatedSettings['fieldWeights']>;
  bm25?: Partial<RelatedSettings['bm25']>;
};

/** Defaults, overlaid with what a site configures. */
export function resolveRelatedSettings(override: RelatedSettingsOverride = {}): RelatedSettings {
  return {
    ...DEFAULT_RELATED_SETTINGS,
    ...override,
    fieldWeights: { ...DEFAULT_RELATED_SETTINGS.fieldWeights, ...override.fieldWeights },
    bm25: { ...DEFAULT_RELATED_SETTINGS.bm25, ...override.bm25 },
    excludePaths: [...(override.excludePaths ?? DEFAULT_RELATED_SETTINGS.excludePaths)],
  };
}

const weight = z.number().min(0).max(100);
/** A partial override of the settings, as `PARLEY_RELATED` and a site's `related` section in the sites file give it. */
export const RelatedSettingsOverrideSchema = z.strictObject({
  scoring: z.enum(['bm25', 'tfidf']).optional(),
  fieldWeights: z.strictObject({ title: weight, tags: weight, section: weight, description: weight, body: weight }).partial().optional(),
  bm25: z.strictObject({ k1: z.number().min(0).max(10), b: z.number().min(0).max(1) }).partial().optional(),
  sublinearTf: z.boolean().optional(),
  queryTerms: z.number().int().min(0).max(1_000).optional(),
  queryTermShare: z.number().min(0).max(1).optional(),
  leadWords: z.number().int().min(0).max(10_000).optional(),
  leadWeight: z.number().min(0).max(10).optional(),
  cosineWeight: z.number().min(0).max(10).optional(),
  championListSize: z.number().int().min(0).optional(),
  maxDocumentShare: z.number().min(0).max(1).optional(),
  stemming: z.boolean().optional(),
  recencyHalfLifeDays: z.number().min(0).optional(),
  recencyWeight: z.number().min(0).max(1).optional(),
  discussionWeight: z.number().min(0).max(10).optional(),
  sectionWeight: z.number().min(0).max(10).optional(),
  duplicateThreshold: z.number().min(0).max(2).optional(),
  diversity: z.number().min(0).max(1).optional(),
  covisitWeight: z.number().min(0).max(10).optional(),
  covisitThreshold: z.number().min(0).optional(),
  covisitHalfLifeDays: z.number().min(0).max(365).optional(),
  candidatePool: z.number().int().min(1).max(1_000).optional(),
  fallback: z.enum(['recent', 'discussed']).optional(),
  excludePaths: z.array(z.string().min(1)).optional(),
});

/** `PARLEY_RELATED`: settings for every site, and per site (`{ "defaults": {…}, "sites": { "news": {…} } }`). */
export const RelatedConfigSchema = z.strictObject({
  defaults: RelatedSettingsOverrideSchema.optional(),
  sites: z.record(z.string(), RelatedSettingsOverrideSchema).optional(),
});
export type RelatedConfig = z.infer<typeof RelatedConfigSchema>;

/** Settings of each site: defaults ← config defaults ← the site's own. Resolved once per site. */
export function relatedSettingsResolver(config: RelatedConfig = {}): (site: string) => RelatedSettings {
  const resolved = new Map<string, RelatedSettings>();
  return (site) => {
    let settings = resolved.get(site);
    if (!settings) {
      const base = (config.defaults ?? {}) as RelatedSettingsOverride;
      const own = (config.sites?.[site] ?? {}) as RelatedSettingsOverride;
      settings = resolveRelatedSettings({
        ...base,
        ...own,
        fieldWeights: { ...base.fieldWeights, ...own.fieldWeights },
        bm25: { ...base.bm25, ...own.bm25 },
      });
      if (resolved.size < 10_000) resolved.set(site, settings);
    }
    return settings;
  };
}

/**
 * `PARLEY_RELATED` with each sites-file `related` section laid over its site's entry: the sites
 * file wins, field by field; what it leaves out falls back to `PARLEY_RELATED`, then the defaults.
 */
export function withSiteRelatedSettings(config: RelatedConfig | undefined, sites: readonly { id: string; related?: RelatedSettingsOverride | undefined }[]): RelatedConfig {
  const merged: Record<string, RelatedSettingsOverride> = { ...(config?.sites as Record<string, RelatedSettingsOverride> | undefined) };
  for (const site of sites) {
    if (!site.related) continue;
    const env = merged[site.id] ?? {};
    merged[site.id] = {
      ...env,
      ...site.related,
      fieldWeights: { ...env.fieldWeights, ...site.related.fieldWeights },
      bm25: { ...env.bm25, ...site.related.bm25 },
    };
  }
  return { ...config, sites: merged } as RelatedConfig;
}
