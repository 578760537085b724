import type { Kysely } from 'kysely';
import type { ArticleRow, Database, NewArticleRow } from './schema.ts';
import type { RelatedClicksTable } from './related.schema.ts';

type Db = Kysely<Database>;

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const UPSERT_CHUNK_SIZE = 100;

export async function findExistingPageKeys(db: Db, site: string, pageKeys: readonly string[]): Promise<Set<string>> {
  const existing = new Set<string>();
  for (let start = 0; start < pageKeys.length; start += UPSERT_CHUNK_SIZE) {
    const chunk = pageKeys.slice(start, start + UPSERT_CHUNK_SIZE);
    const rows = await db
      .selectFrom('articles')
      .select('page_key')
      .where('site', '=', site)
      .where('page_key', 'in', chunk)
      .execute();
    for (const row of rows) existing.add(row.page_key);
  }
  return existing;
}

/** Inserts or replaces by (site, page_key); `created_at` of an existing row is kept. Run it in a transaction. */
export async function upsertArticles(db: Db, rows: readonly NewArticleRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += UPSERT_CHUNK_SIZE) {
    const chunk = rows.slice(start, start + UPSERT_CHUNK_SIZE);
    await db
      .insertInto('articles')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['site', 'page_key']).doUpdateSet((eb) => ({
          url: eb.ref('excluded.url'),
          title: eb.ref('excluded.title'),
          description: eb.ref('excluded.description'),
          image: eb.ref('excluded.image'),
          section: eb.ref('excluded.section'),
          tags: eb.ref('excluded.tags'),
          published_at: eb.ref('excluded.published_at'),
          body: eb.ref('excluded.body'),
          published: eb.ref('excluded.published'),
          source: eb.ref('excluded.source'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/**
 * Inserts articles reported by pages (auto-discovery). Updates only rows that discovery itself
 * wrote: what the site owner imported is never overwritten. Returns the rows actually written.
 */
/**
 * First writer wins: a page's report is stored only when the site has no article there yet. A
 * later report (from any page, any reader) never retitles it; the owner's import or console does.
 */
export async function upsertDiscoveredArticle(db: Db, row: NewArticleRow): Promise<ArticleRow | undefined> {
  return db
    .insertInto('articles')
    .values({ ...row, source: 'discovered' })
    .onConflict((oc) => oc.columns(['site', 'page_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Deletes one article (and the pins naming it); true if it existed. */
export async function deleteArticle(db: Db, site: string, pageKey: string): Promise<boolean> {
  const result = await db.deleteFrom('articles').where('site', '=', site).where('page_key', '=', pageKey).executeTakeFirst();
  await db
    .deleteFrom('related_pins')
    .where('site', '=', site)
    .where((eb) => eb.or([eb('page_key', '=', pageKey), eb('target_key', '=', pageKey)]))
    .execute();
  return Number(result.numDeletedRows) > 0;
}

/** Visible comment counts of every page of a site, keyed by the page as stored. */
export async function commentCountsOfSite(db: Db, site: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('comments')
    .select(['page', (eb) => eb.fn.countAll<number>().as('count')])
    .where('site', '=', site)
    .where('status', '=', 'visible')
    .groupBy('page')
    .execute();
  return new Map(rows.map((row) => [row.page, Number(row.count)]));
}

/** Editors' picks for one page, in order. */
export async function listPins(db: Db, site: string, pageKey: string): Promise<string[]> {
  const rows = await db
    .selectFrom('related_pins')
    .select('target_key')
    .where('site', '=', site)
    .where('page_key', '=', pageKey)
    .orderBy('position')
    .execute();
  return rows.map((row) => row.target_key);
}

/** Every pin of a site: page key → picks in order (loaded with the index). */
export async function listSitePins(db: Db, site: string): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('related_pins')
    .select(['page_key', 'target_key'])
    .where('site', '=', site)
    .orderBy('page_key')
    .orderBy('position')
    .execute();
  const pins = new Map<string, string[]>();
  for (const row of rows) pins.set(row.page_key, [...(pins.get(row.page_key) ?? []), row.target_key]);
  return pins;
}

/** Replaces a page's picks. Run it in a transaction. */
export async function replacePins(db: Db, site: string, pageKey: string, targets: readonly string[], now: string): Promise<void> {
  await db.deleteFrom('related_pins').where('site', '=', site).where('page_key', '=', pageKey).execute();
  if (targets.length === 0) return;
  await db
    .insertInto('related_pins')
    .values(targets.map((target, position) => ({ site, page_key: pageKey, target_key: target, position, created_at: now })))
    .execute();
}

/** Counts one click on a related card (per site, article and UTC day). */
export async function recordClick(db: Db, site: string, targetKey: string, day: string): Promise<void> {
  await db
    .insertInto('related_clicks')
    .values({ site, target_key: targetKey, day, clicks: 1 })
    .onConflict((oc) => oc.columns(['site', 'target_key', 'day']).doUpdateSet((eb) => ({ clicks: eb(eb.ref('related_clicks.clicks'), '+', 1) })))
    .execute();
}

/** Clicks per article of a site since `fromDay` (inclusive), most clicked first. */
export async function clicksOfSite(db: Db, site: string, fromDay: string): Promise<Pick<RelatedClicksTable, 'target_key' | 'clicks'>[]> {
  const rows = await db
    .selectFrom('related_clicks')
    .select(['target_key', (eb) => eb.fn.sum<number>('clicks').as('clicks')])
    .where('site', '=', site)
    .where('day', '>=', fromDay)
    .groupBy('target_key')
    .orderBy('clicks', 'desc')
    .orderBy('target_key')
    .execute();
  return rows.map((row) => ({ target_key: row.target_key, clicks: Number(row.clicks) }));
}

/** Every article of a site, newest first, undated last (NULL order differs by dialect, so say it). */
export async function listArticles(db: Db, site: string): Promise<ArticleRow[]> {
  return db
    .selectFrom('articles')
    .selectAll()
    .where('site', '=', site)
    .orderBy('published_at', (ob) => ob.desc().nullsLast())
    .orderBy('page_key')
    .execute();
}

export async function countArticles(db: Db, site: string): Promise<number> {
  const row = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('site', '=', site)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Sites that have articles (the recommender indexes each at start). */
export async function listArticleSites(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('articles').select('site').distinct().orderBy('site').execute();
  return rows.map((row) => row.site);
}

/** The articles of these page keys as stored now (another process wrote them). */
export async function findArticlesByPageKeys(db: Db, site: string, pageKeys: readonly string[]): Promise<ArticleRow[]> {
  if (pageKeys.length === 0) return [];
  return db.selectFrom('articles').selectAll().where('site', '=', site).where('page_key', 'in', [...pageKeys]).execute();
}
