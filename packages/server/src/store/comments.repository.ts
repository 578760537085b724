import type { Kysely } from 'kysely';
import type { CommentRow, Database, NewCommentRow } from './schema.ts';

type Db = Kysely<Database>;

export async function insertComment(db: Db, row: NewCommentRow): Promise<CommentRow> {
  return db.insertInto('comments').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findCommentById(db: Db, id: string): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Visible comments of one page, oldest first; ULIDs break ties within the same millisecond. */
export async function listVisibleComments(db: Db, site: string, page: string): Promise<CommentRow[]> {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('site', '=', site)
    .where('page', '=', page)
    .where('status', '=', 'visible')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Visible comment counts for many pages in one grouped query; pages without comments are absent. */
export async function countVisibleComments(db: Db, site: string, pages: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (pages.length === 0) return counts;
  const rows = await db
    .selectFrom('comments')
    .select(['page', (eb) => eb.fn.countAll<number>().as('count')])
    .where('site', '=', site)
    .where('status', '=', 'visible')
    .where('page', 'in', [...new Set(pages)])
    .groupBy('page')
    .execute();
  for (const row of rows) counts.set(row.page, Number(row.count));
  return counts;
}
