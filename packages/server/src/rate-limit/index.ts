import type { Clock } from '../clock.ts';
import type { Store } from '../store/store.ts';
import { DatabaseRateLimitStore } from './database-store.ts';
import { MemoryRateLimitStore } from './memory-store.ts';
import type { RateLimitStore } from './rate-limit.ts';
import { RedisRateLimitStore } from './redis-store.ts';
import { FallbackRateLimitStore } from './fallback-store.ts';

export * from './rate-limit.ts';
export { DatabaseRateLimitStore } from './database-store.ts';
export { RedisRateLimitStore } from './redis-store.ts';
export { MemoryRateLimitStore } from './memory-store.ts';
export { FallbackRateLimitStore } from './fallback-store.ts';

/**
 * PARLEY_REDIS_URL set → Redis (several instances, no database load), falling back to the database
 * while Redis is down (see fallback-store.ts); else PostgreSQL's `rate_limits` table (shared by
 * instances); SQLite (one process) → this process's memory.
 */
export function createRateLimitStore(options: {
  redisUrl?: string | undefined;
  store: Store;
  clock: Clock;
  logError?: (message: string, error: unknown) => void;
}): RateLimitStore & { close?(): Promise<void>; ping?(): Promise<void> } {
  const database = options.store.dialect === 'sqlite' ? new MemoryRateLimitStore(options.clock) : new DatabaseRateLimitStore(options.store.db, options.clock, true);
  if (!options.redisUrl) return database;
  return new FallbackRateLimitStore(new RedisRateLimitStore(options.redisUrl), database, options.logError ? { logError: options.logError } : {});
}
