import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database } from '../store/schema.ts';
import '../store/moderation.schema.ts';
import type { RateLimitHit, RateLimitStore } from './rate-limit.ts';

/**
 * Counters in the `rate_limits` table: one atomic upsert per hit, so any number of stateless
 * instances on the same PostgreSQL share them (SQLite: the instances on one file).
 */
export class DatabaseRateLimitStore implements RateLimitStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const resetIso = new Date(now.getTime() + windowMs).toISOString();
    const row = await this.db
      .insertInto('rate_limits')
      .values({ key, count: 1, reset_at: resetIso })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          count: eb.case().when('rate_limits.reset_at', '<=', nowIso).then(1).else(eb('rate_limits.count', '+', 1)).end(),
          reset_at: eb.case().when('rate_limits.reset_at', '<=', nowIso).then(resetIso).else(eb.ref('rate_limits.reset_at')).end(),
        })),
      )
      .returning(['count', 'reset_at'])
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), resetInMs: Date.parse(row.reset_at) - now.getTime() };
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
