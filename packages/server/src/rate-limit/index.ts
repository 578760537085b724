import type { Clock } from '../clock.ts';
import type { Store } from '../store/store.ts';
import { DatabaseRateLimitStore } from './database-store.ts';
import { MemoryRateLimitStore } from './memory-store.ts';
import type { RateLimitStore } from './rate-limit.ts';
import { RedisRateLimitStore } from './redis-store.ts';

export * from './rate-limit.ts';
export { DatabaseRateLimitStore } from './database-store.ts';
export { RedisRateLimitStore } from './redis-store.ts';
export { MemoryRateLimitStore } from './memory-store.ts';

/**
 * PARLEY_REDIS_URL set → Redis (several instances, no database load); else PostgreSQL's
 * `rate_limits` table (shared by instances); SQLite (one process) → this process's memory.
 */
export function createRateLimitStore(options: { redisUrl?: string | undefined; store: Store; clock: Clock }): RateLimitStore & { close?(): Promise<void> } {
  if (options.redisUrl) return new RedisRateLimitStore(options.redisUrl);
  if (options.store.dialect === 'sqlite') return new MemoryRateLimitStore(options.clock);
  return new DatabaseRateLimitStore(options.store.db, options.clock);
}
