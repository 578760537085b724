import type { RelatedArticle } from '@parley/schema';
import type { Clock } from '../clock.ts';
import { toRelatedArticle, type ArticleDocument, type Recommender } from './recommender.ts';
import { RelatedIndex } from './related-index.ts';
import { covisitWindowDays, decayCovisits, type CovisitRow, type Covisits } from './covisits.ts';
import { DEFAULT_RELATED_SETTINGS, type RelatedSettings } from './settings.ts';

/** Where the recommender reads a site from: the store in the server, arrays in tests. */
export interface RecommenderSource {
  articles(site: string): Promise<ArticleDocument[]>;
  /** Visible comments per page key. */
  commentCounts(site: string): Promise<Map<string, number>>;
  /** Editors' picks: page key → target page keys in order. */
  pins(site: string): Promise<Map<string, string[]>>;
  /** These articles as stored now (missing ones were deleted). */
  articlesByKeys?(site: string, pageKeys: readonly string[]): Promise<ArticleDocument[]>;
  /** Daily co-visits since `fromDay` (`YYYY-MM-DD`); absent: readers' clicks are not used. */
  covisits?(site: string, fromDay: string): Promise<CovisitRow[]>;
}

export interface IndexedRecommenderOptions {
  clock: Clock;
  /** Ranker settings of a site (defaults when the site configures none). */
  settingsFor?: (site: string) => RelatedSettings;
  /** How long comment counts are reused before one grouped query refreshes them. */
  commentCountsTtlMs?: number;
}

interface SiteState {
  index: RelatedIndex;
  pins: Map<string, string[]>;
  commentCounts: Map<string, number>;
  covisits: Covisits;
  countsLoadedAt: number;
  refreshing?: Promise<void>;
}

/**
 * The server's recommender: one `RelatedIndex` per site, built from the store (at start through
 * `warm`, otherwise on a site's first query) and kept in step by `upsert`/`remove`/`setPins`,
 * which the services call after each commit. Writes from another process (another instance, the
 * CLI import) arrive through the notifier as `reload`.
 */
export class IndexedRecommender implements Recommender {
  private readonly sites = new Map<string, SiteState>();
  private readonly loading = new Map<string, Promise<SiteState>>();
  private readonly settingsFor: (site: string) => RelatedSettings;
  private readonly ttl: number;

  constructor(
    private readonly source: RecommenderSource,
    private readonly options: IndexedRecommenderOptions,
  ) {
    this.settingsFor = options.settingsFor ?? (() => DEFAULT_RELATED_SETTINGS);
    this.ttl = options.commentCountsTtlMs ?? 60_000;
  }

  /** Builds the indexes of these sites now, so the first reader does not wait. */
  async warm(sites: readonly string[]): Promise<void> {
    for (const site of sites) await this.stateFor(site);
  }

  async related(site: string, pageKey: string, limit: number): Promise<RelatedArticle[]> {
    const state = await this.stateFor(site);
    const now = this.options.clock.now().getTime();
    if (now - state.countsLoadedAt > this.ttl) {
      // Stale counts are served while one refresh runs; the first query of a site waits for none.
      state.refreshing ??= Promise.all([this.source.commentCounts(site), this.loadCovisits(site)])
        .then(([counts, covisits]) => {
          state.commentCounts = counts;
          state.covisits = covisits;
          state.countsLoadedAt = this.options.clock.now().getTime();
        })
        .catch(() => {})
        .finally(() => {
          state.refreshing = undefined;
        });
    }
    const articles = state.index.related(pageKey, {
      limit,
      now,
      commentCounts: state.commentCounts,
      pins: state.pins.get(pageKey) ?? [],
      covisits: state.covisits.get(pageKey),
    });
    return articles.map((article) => toRelatedArticle(article, state.commentCounts.get(article.pageKey) ?? 0));
  }

  upsert(site: string, articles: readonly ArticleDocument[]): void {
    this.sites.get(site)?.index.upsert(articles);
    // A load in flight may have read the store before this write: drop it, the next query reloads.
    this.loading.delete(site);
  }

  remove(site: string, pageKeys: readonly string[]): void {
    this.sites.get(site)?.index.remove(pageKeys);
    this.loading.delete(site);
  }

  setPins(site: string, pageKey: string, targets: readonly string[]): void {
    const state = this.sites.get(site);
    if (state) {
      if (targets.length) state.pins.set(pageKey, [...targets]);
      else state.pins.delete(pageKey);
    }
    this.loading.delete(site);
  }

  async reload(site: string, pageKeys?: readonly string[]): Promise<void> {
    // A load in flight may have read the store before that write: the next query loads again.
    this.loading.delete(site);
    const state = this.sites.get(site);
    if (!state) return;
    if (!pageKeys || !this.source.articlesByKeys) {
      // The whole site: build a fresh index beside the old one, which serves until it is ready.
      const [articles, pins] = await Promise.all([this.source.articles(site), this.source.pins(site)]);
      if (this.sites.get(site) === state) {
        state.index = new RelatedIndex(this.settingsFor(site), articles);
        state.pins = pins;
      }
      return;
    }
    const [found, pins] = await Promise.all([this.source.articlesByKeys(site, pageKeys), this.source.pins(site)]);
    const present = new Set(found.map((article) => article.pageKey));
    state.index.upsert(found);
    state.index.remove(pageKeys.filter((key) => !present.has(key)));
    state.pins = pins;
  }

  async reloadAll(): Promise<void> {
    for (const site of [...this.sites.keys()]) await this.reload(site);
  }

  private async loadCovisits(site: string): Promise<Covisits> {
    const settings = this.settingsFor(site);
    if (!this.source.covisits || settings.covisitWeight === 0) return new Map();
    const now = this.options.clock.now().getTime();
    const fromDay = new Date(now - covisitWindowDays(settings) * 86_400_000).toISOString().slice(0, 10);
    return decayCovisits(await this.source.covisits(site, fromDay), now, settings);
  }

  private stateFor(site: string): Promise<SiteState> {
    const built = this.sites.get(site);
    if (built) return Promise.resolve(built);
    const inFlight = this.loading.get(site);
    if (inFlight) return inFlight;
    const load = Promise.all([this.source.articles(site), this.source.pins(site), this.source.commentCounts(site), this.loadCovisits(site)]).then(
      ([articles, pins, commentCounts, covisits]) => {
        const state: SiteState = {
          index: new RelatedIndex(this.settingsFor(site), articles),
          pins,
          commentCounts,
          covisits,
          countsLoadedAt: this.options.clock.now().getTime(),
        };
        // Keep it only if no write invalidated this load meanwhile. Empty sites are not kept, so
        // queries naming arbitrary sites cannot grow memory; their reload is one indexed query.
        if (this.loading.get(site) === load) {
          this.loading.delete(site);
          if (state.index.size > 0) this.sites.set(site, state);
        }
        return state;
      },
    );
    load.catch(() => {
      if (this.loading.get(site) === load) this.loading.delete(site);
    });
    this.loading.set(site, load);
    return load;
  }
}
