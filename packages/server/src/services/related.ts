import type { RelatedResponse } from '@parley/schema';
import type { Recommender } from '../recommend/recommender.ts';
import { pageKeyOf } from './page-key.ts';

export class RelatedService {
  constructor(private readonly recommender: Recommender) {}

  /** Unknown sites and pages are not errors: they get the recency fallback, or nothing. */
  async related(site: string, page: string, limit: number): Promise<RelatedResponse> {
    const items = await this.recommender.related(site, pageKeyOf(page), limit);
    return { site, page, items };
  }
}
