import type { Clock } from '../clock.ts';
import type { Store } from '../store/store.ts';
import { DatabaseRateLimitStore } from './database-store.ts';
import type { RateLimitStore } from './rate-limit.ts';
import { RedisRateLimitStore } from './redis-store.ts';

export * from './rate-limit.ts';
export { DatabaseRateLimitStore } from './database-store.ts';
export { RedisRateLimitStore } from './redis-store.ts';

/** PARLEY_REDIS_URL set → Redis (several instances, no database load); else the database's `rate_limits` table. */
export function createRateLimitStore(options: { redisUrl?: string | undefined; store: Store; clock: Clock }): RateLimitStore & { close?(): Promise<void> } {
  return options.redisUrl ? new RedisRateLimitStore(options.redisUrl) : new DatabaseRateLimitStore(options.store.db, options.clock);
}
