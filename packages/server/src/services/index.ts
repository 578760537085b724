import type { Clock } from '../clock.ts';
import { TfIdfRecommender } from '../recommend/tfidf.ts';
import type { Recommender } from '../recommend/recommender.ts';
import type { Store } from '../store/store.ts';
import { ArticlesService } from './articles.ts';
import { CommentsService } from './comments.ts';
import { RelatedService } from './related.ts';

export interface Services {
  comments: CommentsService;
  articles: ArticlesService;
  related: RelatedService;
}

/** Wires the services over one store; `recommender` is the seam for a stronger ranker. */
export function createServices(store: Store, clock: Clock, recommender?: Recommender): Services {
  let articles: ArticlesService;
  const ranker = recommender ?? new TfIdfRecommender((site) => articles.list(site));
  articles = new ArticlesService(store, clock, ranker);
  return {
    comments: new CommentsService(store, clock),
    articles,
    related: new RelatedService(ranker),
  };
}
