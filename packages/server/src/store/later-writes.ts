import { sql, type Compilable, type Kysely, type OperationNodeSource, type QueryCreator, type RawBuilder } from 'kysely';
import { THEN_COMMIT_MARK } from './pg-client.ts';
import type { Database } from './schema.ts';

/** A write whose result nobody reads back in its transaction (a stream event, a fingerprint, a kept answer). */
export type LaterWrite = Compilable & OperationNodeSource;

/**
 * Where a change puts such writes; they are sent together just before its transaction commits.
 * Until then the transaction does not see them, and two of them must not change the same row:
 * PostgreSQL runs the CTEs of one statement on one snapshot (a row inserted by one write and
 * referenced by another's foreign key is fine: constraints are checked at the statement's end).
 */
export interface Writes {
  readonly trx: Kysely<Database>;
  later(write: LaterWrite): void;
}

/** The name of the `index`-th later write in the statement sendLaterWrites builds: a guard may read its RETURNING rows. */
export const laterWriteName = (index: number): string => `w${index}`;

/**
 * Sends a transaction's later writes and its staged expressions (PostgreSQL's `pg_notify`).
 * On PostgreSQL they go as one statement: every write a data-modifying CTE, the expressions its
 * select list. A CTE's write runs once and to completion whether or not anything reads it, so this
 * is the same work as the statements one by one, in one round trip instead of one each; the text
 * is stable for a kind of change, so it is prepared once per connection. It is marked to travel
 * with the COMMIT (see pg-client.ts), so the writes and the commit share that round trip. SQLite runs in process:
 * the writes go one by one, and there is nothing to stage.
 */
export async function sendLaterWrites(trx: Kysely<Database>, dialect: 'sqlite' | 'postgres', writes: readonly LaterWrite[], selects: readonly RawBuilder<unknown>[]): Promise<void> {
  if (dialect !== 'postgres' || (writes.length === 1 && selects.length === 0)) {
    for (const write of writes) await trx.executeQuery(write.compile());
    for (const expression of selects) await sql`select ${expression}`.execute(trx);
    return;
  }
  if (writes.length === 0 && selects.length === 0) return;
  // Kysely's own `with` composes the statements and numbers their parameters.
  let query = trx as unknown as QueryCreator<Database>;
  writes.forEach((write, i) => {
    query = query.with(laterWriteName(i), () => write as never);
  });
  const columns = (selects.length ? selects : [sql`1`]).map((expression, i) => expression.as(`s${i}`));
  // Nothing reads its rows and it is the transaction's last statement: it may go with the COMMIT.
  const compiled = query.selectNoFrom(columns).compile();
  await trx.executeQuery({ ...compiled, sql: THEN_COMMIT_MARK + compiled.sql });
}

/** Runs `record`'s later writes on `db` now, outside any change (tests). */
export async function remembered(db: Kysely<Database>, record: (writes: Writes) => void): Promise<void> {
  const writes: LaterWrite[] = [];
  record({ trx: db, later: (write) => void writes.push(write) });
  for (const write of writes) await db.executeQuery(write.compile());
}
