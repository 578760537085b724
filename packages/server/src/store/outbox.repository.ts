import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from './schema.ts';

// Tables from migration 0006, merged into `Database` by declaration merging.
declare module './schema.ts' {
  interface Database {
    outbox: OutboxTable;
    job_leases: JobLeasesTable;
  }
}

export interface OutboxTable {
  id: string;
  kind: string;
  site: string;
  payload: string;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}
export type OutboxRow = Selectable<OutboxTable>;

export interface JobLeasesTable {
  name: string;
  holder: string;
  lease_until: string;
  last_run_at: string | null;
}

type Db = Kysely<Database>;

export async function insertOutbox(db: Db, rows: ReadonlyArray<{ id: string; kind: string; site: string; payload: string; next_attempt_at: string; created_at: string }>): Promise<void> {
  if (rows.length === 0) return;
  await insertOutboxQuery(db, rows).execute();
}

/** The insert of outbox rows (at least one), to run later in a change's transaction. */
export function insertOutboxQuery(db: Db, rows: ReadonlyArray<{ id: string; kind: string; site: string; payload: string; next_attempt_at: string; created_at: string }>) {
  return db.insertInto('outbox').values(rows.map((row) => ({ ...row, last_error: null, sent_at: null })));
}

export async function listDueOutbox(db: Db, now: string, limit: number): Promise<OutboxRow[]> {
  return db.selectFrom('outbox').selectAll().where('status', '=', 'pending').where('next_attempt_at', '<=', now).orderBy('next_attempt_at').orderBy('id').limit(limit).execute();
}

export async function recordOutboxAttempt(db: Db, id: string, outcome: { attempts: number; status: 'pending' | 'sent' | 'failed'; lastError: string | null; nextAttemptAt: string; sentAt: string | null }): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ attempts: outcome.attempts, status: outcome.status, last_error: outcome.lastError, next_attempt_at: outcome.nextAttemptAt, sent_at: outcome.sentAt })
    .where('id', '=', id)
    .execute();
}

/** Sent and failed rows older than `before` go; pending ones stay until sent or failed. */
export async function pruneOutbox(db: Db, before: string): Promise<number> {
  const result = await db.deleteFrom('outbox').where('status', '!=', 'pending').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Takes the named job until `leaseUntil` if nobody holds it now: one instance of several runs a
 * periodic job per period. Insert-or-update that only matches an expired lease, portable to both
 * databases.
 */
export async function claimJobLease(db: Db, name: string, holder: string, now: string, leaseUntil: string): Promise<boolean> {
  const inserted = await db
    .insertInto('job_leases')
    .values({ name, holder, lease_until: leaseUntil, last_run_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return true;
  const updated = await db
    .updateTable('job_leases')
    .set({ holder, lease_until: leaseUntil, last_run_at: now })
    .where('name', '=', name)
    .where('lease_until', '<=', now)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
