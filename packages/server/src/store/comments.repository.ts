import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Generated } from 'kysely';
import type { CommentEventRow, CommentRow, CommentsTable, Database, NewCommentEventRow, NewCommentRow } from './schema.ts';
import './moderation.schema.ts';

// Migration 0005, merged into the store's types by declaration merging (schema.ts stays as it is).
declare module './schema.ts' {
  interface CommentsTable {
    /** 1 when a moderator pinned it (top-level comments only): sorts first in public lists. */
    pinned: Generated<number>;
  }
  interface Database {
    thread_locks: ThreadLocksTable;
    reply_subscriptions: ReplySubscriptionsTable;
  }
}

export interface ThreadLocksTable {
  site: string;
  page: string;
  locked_at: string;
}

export interface ReplySubscriptionsTable {
  comment_id: string;
  site: string;
  email: string;
  created_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
}

type Db = Kysely<Database>;

/** Statuses a reader sees: visible comments and placeholders of deleted ones that have replies. */
export const SHOWN_STATUSES = ['visible', 'deleted'] as const;

/**
 * Every column of `comments`, named: `returning *` would keep the insert from being prepared on
 * PostgreSQL (see store/pg-client.ts), and a missing name here is a type error.
 */
const COMMENT_COLUMNS = [
  'id', 'site', 'page', 'parent_id', 'author_name', 'author_email', 'body', 'status', 'created_at', 'updated_at', 'html', 'root_id',
  'edit_token_hash', 'edited_at', 'deleted_at', 'likes', 'ip_hash', 'author_avatar', 'author_email_hash', 'pinned',
] as const satisfies ReadonlyArray<keyof CommentsTable>;
const allColumnsNamed: Exclude<keyof CommentsTable, (typeof COMMENT_COLUMNS)[number]> extends never ? true : never = true;
void allColumnsNamed;

export async function insertComment(db: Db, row: NewCommentRow): Promise<CommentRow> {
  return db.insertInto('comments').values(row).returning(COMMENT_COLUMNS).executeTakeFirstOrThrow();
}

/**
 * A new comment as its row will read once inserted (the columns its insert leaves to their
 * defaults included), and the insert, to run later in the change's transaction.
 */
export function newCommentInsert(db: Db, row: Omit<CommentRow, 'edited_at' | 'deleted_at' | 'likes' | 'pinned'>): { row: CommentRow; insert: ReturnType<typeof insertQuery> } {
  return { row: { ...row, edited_at: null, deleted_at: null, likes: 0, pinned: 0 }, insert: insertQuery(db, row) };
}
const insertQuery = (db: Db, row: NewCommentRow) => db.insertInto('comments').values(row);

/** Many rows in chunks (benchmarks and imports); run it in a transaction. */
export async function insertComments(db: Db, rows: readonly NewCommentRow[], chunkSize = 50): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkSize) {
    await db.insertInto('comments').values(rows.slice(start, start + chunkSize)).execute();
  }
}

export async function findCommentById(db: Db, id: string): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCommentsByIds(db: Db, ids: readonly string[]): Promise<CommentRow[]> {
  const rows: CommentRow[] = [];
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    rows.push(...(await db.selectFrom('comments').selectAll().where('id', 'in', chunk).execute()));
  }
  return rows;
}

export async function updateComment(db: Db, id: string, changes: Partial<NewCommentRow>): Promise<CommentRow> {
  return db.updateTable('comments').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteCommentRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('comment_likes').where('comment_id', '=', id).execute();
  await db.deleteFrom('comments').where('id', '=', id).execute();
}

export async function countChildren(db: Db, id: string): Promise<number> {
  const row = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
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

export async function countVisibleOnPage(db: Db, site: string, page: string): Promise<number> {
  const row = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('site', '=', site)
    .where('page', '=', page)
    .where('status', '=', 'visible')
    .executeTakeFirstOrThrow();
  return Number(row.n);
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

// --- top-level pages (keyset pagination) -------------------------------------------------------

export type TopLevelSort = 'oldest' | 'newest' | 'top';
/** Where a top-level comment sits in a sort order. */
export interface SortKey {
  /** 1 for a pinned comment: pinned ones come first in every order. */
  pinned: number;
  likes: number;
  createdAt: string;
  id: string;
}

type Column = 'pinned' | 'likes' | 'created_at' | 'id';
const ORDERS: Record<TopLevelSort, Array<[Column, 'asc' | 'desc']>> = {
  oldest: [['pinned', 'desc'], ['created_at', 'asc'], ['id', 'asc']],
  newest: [['pinned', 'desc'], ['created_at', 'desc'], ['id', 'desc']],
  top: [['pinned', 'desc'], ['likes', 'desc'], ['created_at', 'asc'], ['id', 'asc']],
};

function keyValue(key: SortKey, column: Column): string | number {
  return column === 'pinned' ? key.pinned : column === 'likes' ? key.likes : column === 'created_at' ? key.createdAt : key.id;
}

/** `(a, b, c) > (x, y, z)` in the order's own directions, spelled out so both dialects agree. */
function beyond(eb: ExpressionBuilder<Database, 'comments'>, order: Array<[Column, 'asc' | 'desc']>, key: SortKey, forward: boolean) {
  return eb.or(
    order.map(([column, direction], i) => {
      const after = (direction === 'asc') === forward ? '>' : '<';
      return eb.and([
        ...order.slice(0, i).map(([prev]) => eb(prev, '=', keyValue(key, prev))),
        eb(column, after, keyValue(key, column)),
      ]);
    }),
  );
}

function topLevelQuery(db: Db, site: string, page: string) {
  return db
    .selectFrom('comments')
    .where('site', '=', site)
    .where('page', '=', page)
    .where('parent_id', 'is', null)
    .where('status', 'in', [...SHOWN_STATUSES]);
}

/** Top-level comments (visible and placeholders) in `sort` order, strictly after `after`. */
export async function listTopLevel(db: Db, site: string, page: string, sort: TopLevelSort, after: SortKey | null, limit: number): Promise<CommentRow[]> {
  let query = topLevelQuery(db, site, page).selectAll();
  if (after) query = query.where((eb) => beyond(eb, ORDERS[sort], after, true));
  for (const [column, direction] of ORDERS[sort]) query = query.orderBy(column, direction);
  return query.limit(limit).execute();
}

/** The top-level comment just before `key` in `sort` order, if any. */
export async function findTopLevelBefore(db: Db, site: string, page: string, sort: TopLevelSort, key: SortKey): Promise<CommentRow | undefined> {
  let query = topLevelQuery(db, site, page).selectAll().where((eb) => beyond(eb, ORDERS[sort], key, false));
  for (const [column, direction] of ORDERS[sort]) query = query.orderBy(column, direction === 'asc' ? 'desc' : 'asc');
  return query.limit(1).executeTakeFirst();
}

// --- branches ------------------------------------------------------------------------------------

/** The shape of a branch without bodies: enough to count descendants and choose which rows to load. */
export interface BranchEntry {
  id: string;
  parent_id: string | null;
  root_id: string | null;
  created_at: string;
}

/** Every shown descendant of the given top-level comments (not the roots themselves), oldest first. */
export async function listBranchEntries(db: Db, rootIds: readonly string[]): Promise<BranchEntry[]> {
  const entries: BranchEntry[] = [];
  for (let start = 0; start < rootIds.length; start += 500) {
    const chunk = rootIds.slice(start, start + 500);
    entries.push(
      ...(await db
        .selectFrom('comments')
        .select(['id', 'parent_id', 'root_id', 'created_at'])
        .where('root_id', 'in', chunk)
        .where('parent_id', 'is not', null)
        .where('status', 'in', [...SHOWN_STATUSES])
        .orderBy('created_at')
        .orderBy('id')
        .execute()),
    );
  }
  return entries.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// --- likes ---------------------------------------------------------------------------------------

export async function findLike(db: Db, commentId: string, readerHash: string) {
  return db.selectFrom('comment_likes').selectAll().where('comment_id', '=', commentId).where('reader_hash', '=', readerHash).executeTakeFirst();
}

export async function countCountedLikesFromIp(db: Db, commentId: string, ipHash: string): Promise<number> {
  const row = await db
    .selectFrom('comment_likes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('comment_id', '=', commentId)
    .where('ip_hash', '=', ipHash)
    .where('counted', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts the like unless this reader already has one; true when a row was added. */
export async function insertLike(db: Db, row: { comment_id: string; reader_hash: string; ip_hash: string; counted: number; created_at: string }): Promise<boolean> {
  const result = await db
    .insertInto('comment_likes')
    .values(row)
    .onConflict((oc) => oc.columns(['comment_id', 'reader_hash']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function deleteLike(db: Db, commentId: string, readerHash: string): Promise<void> {
  await db.deleteFrom('comment_likes').where('comment_id', '=', commentId).where('reader_hash', '=', readerHash).execute();
}

export async function addToLikes(db: Db, commentId: string, delta: number): Promise<number> {
  const row = await db
    .updateTable('comments')
    .set((eb) => ({ likes: eb('likes', '+', delta) }))
    .where('id', '=', commentId)
    .returning('likes')
    .executeTakeFirstOrThrow();
  return Number(row.likes);
}

// --- events and settings -----------------------------------------------------------------------

export async function insertEvent(db: Db, row: NewCommentEventRow): Promise<void> {
  await insertEventQuery(db, row).execute();
}

/** The insert of a stream event, to run later in the change's transaction. */
export function insertEventQuery(db: Db, row: NewCommentEventRow) {
  return db.insertInto('comment_events').values(row);
}

/** Events of one page after `afterId` (exclusive; all when null), in id order. */
export async function listEventsAfter(db: Db, site: string, page: string, afterId: string | null, limit = 1000): Promise<CommentEventRow[]> {
  let query = db.selectFrom('comment_events').selectAll().where('site', '=', site).where('page', '=', page);
  if (afterId) query = query.where('id', '>', afterId);
  return query.orderBy('id').limit(limit).execute();
}

/**
 * Replay: the newest `max` events of one page after `afterId` and not older than `since`, in id order.
 * Older ones are outside the replay window, whatever the reader's Last-Event-ID.
 */
export async function listRecentEventsAfter(db: Db, site: string, page: string, afterId: string, since: string, max: number): Promise<CommentEventRow[]> {
  const rows = await db
    .selectFrom('comment_events')
    .selectAll()
    .where('site', '=', site)
    .where('page', '=', page)
    .where('id', '>', afterId)
    .where('created_at', '>=', since)
    .orderBy('id', 'desc')
    .limit(max)
    .execute();
  return rows.reverse();
}

/** Deletes every event written before `before` (ISO); returns how many. */
export async function deleteEventsBefore(db: Db, before: string): Promise<number> {
  const result = await db.deleteFrom('comment_events').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes the content-bearing events (created/updated) of comments that are gone or not visible now; returns how many. */
export async function deleteEventsOfHiddenComments(db: Db): Promise<number> {
  const result = await db
    .deleteFrom('comment_events')
    .where('type', 'in', ['comment.created', 'comment.updated'])
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('comments').select('comments.id').whereRef('comments.id', '=', 'comment_events.comment_id').where('comments.status', '=', 'visible'))),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function lastEventId(db: Db, site: string, page: string): Promise<string | null> {
  const row = await db
    .selectFrom('comment_events')
    .select('id')
    .where('site', '=', site)
    .where('page', '=', page)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Reads a setting, creating it with `create()` first if absent (the first writer wins). */
export async function getOrCreateSetting(db: Db, key: string, create: () => string): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key, value: create() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}

// --- moderation: thread locks ------------------------------------------------------------------

export async function isThreadLocked(db: Db, site: string, page: string): Promise<boolean> {
  const row = await db.selectFrom('thread_locks').select('site').where('site', '=', site).where('page', '=', page).executeTakeFirst();
  return row !== undefined;
}

/** Locks (keeping the first lock time) or unlocks; answers the lock time, or null when unlocked. */
export async function setThreadLock(db: Db, site: string, page: string, locked: boolean, now: string): Promise<string | null> {
  if (!locked) {
    await db.deleteFrom('thread_locks').where('site', '=', site).where('page', '=', page).execute();
    return null;
  }
  await db
    .insertInto('thread_locks')
    .values({ site, page, locked_at: now })
    .onConflict((oc) => oc.columns(['site', 'page']).doNothing())
    .execute();
  const row = await db.selectFrom('thread_locks').select('locked_at').where('site', '=', site).where('page', '=', page).executeTakeFirstOrThrow();
  return row.locked_at;
}

export async function listThreadLocks(db: Db, site: string): Promise<ThreadLocksTable[]> {
  return db.selectFrom('thread_locks').selectAll().where('site', '=', site).orderBy('locked_at', 'desc').orderBy('page').execute();
}

// --- moderation: the console's lists -------------------------------------------------------------

export interface AdminListFilter {
  site: string;
  /** A status, `flagged` (at least `flagThreshold` flags, not deleted) or `all`. */
  queue: 'visible' | 'pending' | 'spam' | 'rejected' | 'deleted' | 'flagged' | 'all';
  flagThreshold: number;
  q?: string | undefined;
  author?: string | undefined;
  page?: string | undefined;
  /** Only ids below this one (newest first). */
  beforeId?: string | undefined;
  limit: number;
}

/** `%` and `_` in user input match themselves. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function containsIgnoringCase(column: 'body' | 'author_name' | 'author_email', text: string) {
  return sql<boolean>`lower(${sql.ref(column)}) like ${likePattern(text)} escape '\\'`;
}

function flaggedIds(db: Db, site: string, threshold: number) {
  return db
    .selectFrom('flags')
    .select('comment_id')
    .where('site', '=', site)
    .groupBy('comment_id')
    .having((eb) => eb.fn.countAll(), '>=', threshold);
}

/** Comments of a site for moderators, newest first (ids are time-sortable). */
export async function listAdminComments(db: Db, filter: AdminListFilter): Promise<CommentRow[]> {
  let query = db.selectFrom('comments').selectAll().where('site', '=', filter.site);
  if (filter.queue === 'flagged') {
    query = query.where('status', '!=', 'deleted').where('id', 'in', flaggedIds(db, filter.site, filter.flagThreshold));
  } else if (filter.queue !== 'all') {
    query = query.where('status', '=', filter.queue);
  }
  if (filter.page) query = query.where('page', '=', filter.page);
  if (filter.q) query = query.where(containsIgnoringCase('body', filter.q));
  if (filter.author) {
    const author = filter.author;
    query = query.where((eb) => eb.or([containsIgnoringCase('author_name', author), containsIgnoringCase('author_email', author)]));
  }
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Flag counts of the given comments (absent: none). */
export async function countFlagsOf(db: Db, ids: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await db
      .selectFrom('flags')
      .select(['comment_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('comment_id', 'in', ids.slice(start, start + 500))
      .groupBy('comment_id')
      .execute();
    for (const row of rows) counts.set(row.comment_id, Number(row.n));
  }
  return counts;
}

export async function countByStatus(db: Db, site: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('comments')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('site', '=', site)
    .groupBy('status')
    .execute();
  return new Map(rows.map((row) => [row.status, Number(row.n)]));
}

export async function countFlagged(db: Db, site: string, threshold: number): Promise<number> {
  const row = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('site', '=', site)
    .where('status', '!=', 'deleted')
    .where('id', 'in', flaggedIds(db, site, threshold))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** New comments per UTC day (`YYYY-MM-DD`) since `since` (any status but deleted). */
export async function countPerDay(db: Db, site: string, since: string): Promise<Map<string, number>> {
  const day = sql<string>`substr(${sql.ref('created_at')}, 1, 10)`;
  const rows = await db
    .selectFrom('comments')
    .select([day.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('site', '=', site)
    .where('created_at', '>=', since)
    .groupBy(day)
    .execute();
  return new Map(rows.map((row) => [row.day, Number(row.n)]));
}

/** Pages with the most visible comments posted since `since`, most first. */
export async function mostCommentedPages(db: Db, site: string, since: string, limit: number): Promise<Array<{ page: string; count: number }>> {
  const rows = await db
    .selectFrom('comments')
    .select(['page', (eb) => eb.fn.countAll<number>().as('n')])
    .where('site', '=', site)
    .where('status', '=', 'visible')
    .where('created_at', '>=', since)
    .groupBy('page')
    .orderBy('n', 'desc')
    .orderBy('page')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ page: row.page, count: Number(row.n) }));
}

/** Titles of imported articles by page key. */
export async function articleTitles(db: Db, site: string, pageKeys: readonly string[]): Promise<Map<string, string>> {
  if (pageKeys.length === 0) return new Map();
  const rows = await db.selectFrom('articles').select(['page_key', 'title']).where('site', '=', site).where('page_key', 'in', [...new Set(pageKeys)]).execute();
  return new Map(rows.map((row) => [row.page_key, row.title]));
}

/** Every comment of an email address on a site (privacy export and deletion), oldest first. */
export async function listCommentsByEmail(db: Db, site: string, email: string): Promise<CommentRow[]> {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('site', '=', site)
    .where((eb) => eb(eb.fn('lower', ['author_email']), '=', email.trim().toLowerCase()))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

// --- reply notifications ---------------------------------------------------------------------------

export async function insertReplySubscription(db: Db, row: ReplySubscriptionsTable): Promise<void> {
  await insertReplySubscriptionQuery(db, row).execute();
}

/** The insert of a reply subscription, to run later in a change's transaction (after its comment's insert). */
export function insertReplySubscriptionQuery(db: Db, row: ReplySubscriptionsTable) {
  return db.insertInto('reply_subscriptions').values(row).onConflict((oc) => oc.column('comment_id').doNothing());
}

export async function findReplySubscription(db: Db, commentId: string): Promise<ReplySubscriptionsTable | undefined> {
  return db.selectFrom('reply_subscriptions').selectAll().where('comment_id', '=', commentId).executeTakeFirst();
}

export async function updateReplySubscription(db: Db, commentId: string, changes: Partial<Pick<ReplySubscriptionsTable, 'confirmed_at' | 'unsubscribed_at'>>): Promise<boolean> {
  const result = await db.updateTable('reply_subscriptions').set(changes).where('comment_id', '=', commentId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteReplySubscription(db: Db, commentId: string): Promise<void> {
  await db.deleteFrom('reply_subscriptions').where('comment_id', '=', commentId).execute();
}
