import type { Kysely } from 'kysely';
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
  ) {}

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    return (await this.hitMany([{ key, windowMs }]))[0]!;
  }

  /** One upsert for every key (distinct keys): a comment's three limits cost one round trip. */
  async hitMany(hits: readonly RateLimitKey[]): Promise<RateLimitHit[]> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const rows = await this.db
      .insertInto('rate_limits')
      .values(hits.map(({ key, windowMs }) => ({ key, count: 1, reset_at: new Date(now.getTime() + windowMs).toISOString() })))
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          count: eb.case().when('rate_limits.reset_at', '<=', nowIso).then(1).else(eb('rate_limits.count', '+', 1)).end(),
          reset_at: eb.case().when('rate_limits.reset_at', '<=', nowIso).then(eb.ref('excluded.reset_at')).else(eb.ref('rate_limits.reset_at')).end(),
        })),
      )
      .returning(['key', 'count', 'reset_at'])
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
