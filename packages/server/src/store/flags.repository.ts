import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import './moderation.schema.ts';

/** The few columns of a comment that flagging needs (site for the policy, status to refuse deleted ones). */
export async function findCommentForFlag(db: Kysely<Database>, id: string): Promise<{ id: string; site: string; status: string } | undefined> {
  return db.selectFrom('comments').select(['id', 'site', 'status']).where('id', '=', id).executeTakeFirst();
}

/** Inserts the flag unless this reporter already flagged this comment; true when inserted. */
export async function insertFlag(
  db: Kysely<Database>,
  row: { id: string; comment_id: string; site: string; reason: string; detail: string | null; reporter_hash: string; created_at: string },
): Promise<boolean> {
  const result = await db
    .insertInto('flags')
    .values(row)
    .onConflict((oc) => oc.columns(['comment_id', 'reporter_hash']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function countFlags(db: Kysely<Database>, commentId: string): Promise<number> {
  const row = await db
    .selectFrom('flags')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('comment_id', '=', commentId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The flagged queue: comments of `site` with at least `threshold` flags, most flagged first. */
export async function listFlaggedComments(db: Kysely<Database>, site: string, threshold: number) {
  const rows = await db
    .selectFrom('flags')
    .select((eb) => ['comment_id', eb.fn.countAll<number>().as('flags'), eb.fn.max('created_at').as('last_flagged_at')])
    .where('site', '=', site)
    .groupBy('comment_id')
    .having((eb) => eb.fn.countAll(), '>=', threshold)
    .orderBy('flags', 'desc')
    .orderBy('last_flagged_at', 'desc')
    .execute();
  return rows.map((row) => ({ commentId: row.comment_id, flags: Number(row.flags), lastFlaggedAt: String(row.last_flagged_at) }));
}

/** Reasons given for one comment (for the console), oldest first. */
export async function listFlagsOf(db: Kysely<Database>, commentId: string) {
  return db.selectFrom('flags').select(['reason', 'detail', 'created_at']).where('comment_id', '=', commentId).orderBy('created_at').execute();
}

/** A moderator kept the comment: its flags are cleared so it leaves the queue. */
export async function clearFlags(db: Kysely<Database>, commentId: string): Promise<number> {
  const result = await db.deleteFrom('flags').where('comment_id', '=', commentId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
