import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database } from '../store/schema.ts';
import '../store/moderation.schema.ts';
import type { RateLimitHit, RateLimitKey, RateLimitStore } from './rate-limit.ts';

/**
 * Counters in the `rate_limits` table: one atomic upsert per hit, so any number of stateless
 * instances on the same PostgreSQL share them (SQLite: the instances on one file).
 */
export class DatabaseRateLimitStore implements RateLimitStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** PostgreSQL: commit the counters without waiting for the WAL flush (see hitMany). */
    private readonly asyncCommit = false,
  ) {}

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    return (await this.hitMany([{ key, windowMs }]))[0]!;
  }

  /** One upsert for every key (distinct keys): a comment's three limits cost one round trip. */
  async hitMany(hits: readonly RateLimitKey[]): Promise<RateLimitHit[]> {
    const now = this.clock.now();
    const rows = await rateLimitUpsert(this.db, hits, now)
      // The upsert is its own transaction (`db`, never a caller's `trx`), and PostgreSQL commits a
      // transaction by the synchronous_commit in force when it commits: set here for this one
      // only, its commit does not wait for the WAL flush. A counter is not worth a flush — a crash
      // loses at most the last few hits — and waiting for one held every poster of a busy page
      // on that page's row: 600 → 200 µs of backend CPU per post at 10 connections on one page.
      .$if(this.asyncCommit, (query) => query.returning(sql<string>`set_config('synchronous_commit', 'off', true)`.as('async_commit')))
      .execute();
    const byKey = new Map(rows.map((row) => [row.key, row]));
    return hits.map(({ key }) => {
      const row = byKey.get(key)!;
      return { count: Number(row.count), resetInMs: Date.parse(row.reset_at) - now.getTime() };
    });
  }

  async reset(key: string): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('key', '=', key).execute();
  }

  /** Deletes windows that ended; call now and then (the webhook worker's tick does). Returns rows removed. */
  async prune(): Promise<number> {
    const result = await this.db.deleteFrom('rate_limits').where('reset_at', '<=', this.clock.now().toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/**
 * Counts one hit on each of `hits` (distinct keys) at `now`, answering each key's count and window
 * end: a window that ended starts again at 1. Rows are written in key order, so two upserts that
 * share keys lock them in the same order and never deadlock.
 */
export function rateLimitUpsert(db: Kysely<Database>, hits: readonly RateLimitKey[], now: Date) {
  const nowIso = now.toISOString();
  const sorted = [...hits].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return db
    .insertInto('rate_limits')
    .values(sorted.map(({ key, windowMs }) => ({ key, count: 1, reset_at: new Date(now.getTime() + windowMs).toISOString() })))
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        count: eb.case().when('rate_limits.reset_at', '<=', nowIso).then(1).else(eb('rate_limits.count', '+', 1)).end(),
        reset_at: eb.case().when('rate_limits.reset_at', '<=', nowIso).then(eb.ref('excluded.reset_at')).else(eb.ref('rate_limits.reset_at')).end(),
      })),
    )
    .returning(['key', 'count', 'reset_at']);
}
