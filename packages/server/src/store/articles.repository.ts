import type { Kysely } from 'kysely';
import type { ArticleRow, Database, NewArticleRow } from './schema.ts';

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
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
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
