import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import './outbox.repository.ts';

/**
 * The tables of rows that a worker sends (mail in `outbox`, `webhook_deliveries`): both have `id`,
 * `status` and `next_attempt_at`, and are claimed and counted the same way.
 */
export type QueueTable = 'outbox' | 'webhook_deliveries';

/**
 * Takes one row for `leaseUntil`: of several instances only one matches the `next_attempt_at` it
 * read. A worker that dies lets the lease run out and another instance takes the row.
 */
export async function claimQueueRow(db: Kysely<Database>, table: QueueTable, id: string, seenNextAttemptAt: string, leaseUntil: string): Promise<boolean> {
  // Both tables have these columns; Kysely cannot type a column shared by a union of tables.
  const result = await (db as Kysely<Pick<Database, 'outbox'>>)
    .updateTable(table as 'outbox')
    .set({ next_attempt_at: leaseUntil })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '=', seenNextAttemptAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Rows still to send (due now or later): the queue depth `/metrics` reports. */
export async function countPendingRows(db: Kysely<Database>, table: QueueTable): Promise<number> {
  const row = await (db as Kysely<Pick<Database, 'outbox'>>)
    .selectFrom(table as 'outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
