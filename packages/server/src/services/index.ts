import type { Clock } from '../clock.ts';
import { IndexedRecommender } from '../recommend/indexed-recommender.ts';
import { relatedSettingsResolver, type RelatedConfig, type RelatedSettings } from '../recommend/settings.ts';
import { commentCountsOfSite, findArticlesByPageKeys, listArticleSites, listSitePins } from '../store/articles.repository.ts';
import { covisitsOfSite } from '../store/related-feedback.repository.ts';
import type { Recommender } from '../recommend/recommender.ts';
import type { Store } from '../store/store.ts';
import { ArticlesService, toArticleDocument } from './articles.ts';
import { CommentsService, type CommentsOptions } from './comments.ts';
import { pageKeyOf } from './page-key.ts';
import { RelatedService } from './related.ts';

export interface Services {
  comments: CommentsService;
  articles: ArticlesService;
  related: RelatedService;
}

/** Wires the services over one store; `recommender` is the seam for a stronger ranker. */
export function createServices(store: Store, clock: Clock, recommender?: Recommender, commentsOptions?: CommentsOptions, relatedConfig?: RelatedConfig): Services {
  const articles = new ArticlesService(store, clock);
  const ranker = recommender ?? createRecommender(store, clock, articles, relatedSettingsResolver(relatedConfig));
  articles.useRecommender(ranker);
  if (commentsOptions?.sites) articles.useSites(commentsOptions.sites);
  const comments = new CommentsService(store, clock, commentsOptions);
  const related = new RelatedService(ranker, store, clock);
  // Articles and pins written by another process (an instance, the CLI) reach this one's index.
  const notifier = comments.notifier;
  articles.useNotifier(notifier);
  related.useNotifier(notifier);
  notifier.subscribeAll((change) => {
    if (change.kind === 'articles' && change.remote) void ranker.reload?.(change.site, change.pageKeys).catch(() => {});
  });
  notifier.onResync(() => void ranker.reloadAll?.().catch(() => {}));
  return { comments, articles, related };
}

/**
 * The built-in recommender over the store. Every site's index is built at start (in the
 * background; a query that comes first waits for its own site only).
 */
function createRecommender(store: Store, clock: Clock, articles: ArticlesService, settingsFor?: (site: string) => RelatedSettings): IndexedRecommender {
  const recommender = new IndexedRecommender(
    {
      articles: (site) => articles.list(site),
      articlesByKeys: async (site, pageKeys) => (await findArticlesByPageKeys(store.db, site, pageKeys)).map(toArticleDocument),
      pins: (site) => listSitePins(store.db, site),
      async commentCounts(site) {
        // Comments are keyed by the page as the widget named it; articles by URL path.
        const counts = new Map<string, number>();
        for (const [page, count] of await commentCountsOfSite(store.db, site)) {
          const key = pageKeyOf(page);
          counts.set(key, (counts.get(key) ?? 0) + count);
        }
        return counts;
      },
      async covisits(site, fromDay) {
        // Bounded read: the most recent rows first, so a huge site's refresh stays one cheap query.
        const rows = await covisitsOfSite(store.db, site, fromDay, 200_000);
        return rows.map((row) => ({ pageKey: row.page_key, targetKey: row.target_key, day: row.day, visits: Number(row.visits) }));
      },
    },
    { clock, ...(settingsFor ? { settingsFor } : {}) },
  );
  listArticleSites(store.db)
    .then((sites) => recommender.warm(sites))
    .catch(() => {
      // A store closed before the warm-up finished (tests, shutdown); queries build lazily anyway.
    });
  return recommender;
}
