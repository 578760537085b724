import { sql, type Kysely, type RawBuilder } from 'kysely';
import { escapeLiteral } from 'pg';
import { failUnless, isCheckFailure } from './guards.ts';
import { WITH_NEXT_MARK } from './pg-client.ts';
import type { Database } from './schema.ts';

/**
 * The page write lock. PostgreSQL serialises writers of one page with a transaction-scoped
 * advisory lock, so event ids made inside the transaction commit in id order and a stream reading
 * "after id X" never skips one. SQLite needs nothing: it has one writer at a time.
 */

/** Whether a moderator closed the page's thread, and its newest stream event: read under the page lock. */
export interface PageState {
  locked: boolean;
  lastEventId: string | null;
}
type PageStateRow = { locked: number | null; last_event: string | null };
const pageState = (row: PageStateRow | undefined): PageState => ({ locked: row?.locked != null, lastEventId: row?.last_event ?? null });

const lockStatement = (site: string, page: string) => `select pg_advisory_xact_lock(hashtext(${escapeLiteral(`parley:${site}:${page}`)}))`;

/**
 * Takes the page's write lock for the rest of the transaction. PostgreSQL only, where the page's
 * state is read under the lock in the same round trip: two statements in one simple-protocol
 * message, so the second one's snapshot is taken after the lock is granted and sees every change
 * committed by the writer before. Simple protocol carries no parameters: the values are quoted by
 * pg's own `escapeLiteral`.
 */
export async function lockPageForWrite(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', site: string, page: string): Promise<PageState | undefined> {
  if (dialect !== 'postgres') return undefined;
  const [s, p] = [escapeLiteral(site), escapeLiteral(page)];
  const { rows } = await sql<PageStateRow>`${sql.raw(`${lockStatement(site, page)};
    select (select 1 from thread_locks where site = ${s} and page = ${p}) as locked,
    (select id from comment_events where site = ${s} and page = ${p} order by id desc limit 1) as last_event`)}`.execute(db);
  return pageState(rows[0]);
}

/**
 * Takes the page's write lock without reading anything (PostgreSQL, a page state known from this
 * process's last change): the statement waits and goes out in the message of the transaction's
 * next one (see WITH_NEXT_MARK), so BEGIN, the lock, the writes and COMMIT can be one round trip.
 * The writes then carry `pageStateGuard`, which fails the transaction if the state was not what
 * this process remembered.
 */
export async function lockPageWithNext(db: Kysely<Database>, site: string, page: string): Promise<void> {
  await sql`${sql.raw(WITH_NEXT_MARK + lockStatement(site, page))}`.execute(db);
}

/**
 * A guard for a change's last statement (see guards.ts): the page's state under the lock is
 * `expected`, else the transaction fails with an error `isStalePageState` recognises (another
 * instance wrote to the page, or a moderator locked its thread, since this process remembered it).
 */
export function pageStateGuard(site: string, page: string, expected: PageState): RawBuilder<number> {
  const last = sql`(select id from comment_events where site = ${site} and page = ${page} order by id desc limit 1)`;
  const locked = sql`exists (select 1 from thread_locks where site = ${site} and page = ${page})`;
  return failUnless('stale page state', sql`${last} is not distinct from ${expected.lastEventId} and ${locked} = ${expected.locked}`, last);
}

export const isStalePageState = (error: unknown): boolean => isCheckFailure(error, 'stale page state');

/** The page's state, in the transaction holding its lock (SQLite; PostgreSQL reads it with the lock). */
export async function pageStateUnderLock(db: Kysely<Database>, site: string, page: string): Promise<PageState> {
  const { rows } = await sql<PageStateRow>`select
    (select 1 from thread_locks where site = ${site} and page = ${page}) as locked,
    (select id from comment_events where site = ${site} and page = ${page} order by id desc limit 1) as last_event`.execute(db);
  return pageState(rows[0]);
}
