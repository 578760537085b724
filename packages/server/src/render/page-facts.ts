import type { Store } from '../store/store.ts';
import { pageKeyOf } from '../services/page-key.ts';
import type { PageFacts } from './json-ld.ts';

/**
 * The page's absolute URL and title: the `url` the site passed, else what the related-articles
 * index knows about the page (an imported or discovered article whose URL is absolute).
 */
export async function pageFacts(store: Store, site: string, page: string, url: string | undefined): Promise<PageFacts> {
  const article = await store.db
    .selectFrom('articles')
    .select(['url', 'title'])
    .where('site', '=', site)
    .where('page_key', '=', pageKeyOf(page))
    .executeTakeFirst();
  const known = article && /^https?:\/\//i.test(article.url) ? article.url : undefined;
  return { url: url ?? known, title: article?.title };
}
