import { Redis } from 'ioredis';
import type { RateLimitHit, RateLimitStore } from './rate-limit.ts';

// INCR, start the window's expiry on the first hit, answer the count and the time left: one round trip, atomic.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

/**
 * Counters in Redis for deployments with several instances and no shared database load to spare.
 * Windows are timed by the Redis server's clock.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #owned: boolean;

  /** Pass a URL (`redis://127.0.0.1:6379`) to own the connection, or a client to share one. */
  constructor(redis: string | Redis, options: { prefix?: string } = {}) {
    this.#owned = typeof redis === 'string';
    this.#redis = typeof redis === 'string' ? new Redis(redis, { lazyConnect: true, maxRetriesPerRequest: 2 }) : redis;
    this.#prefix = options.prefix ?? 'parley:rl:';
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const [count, ttl] = (await this.#redis.eval(HIT_SCRIPT, 1, this.#prefix + key, String(windowMs))) as [number, number];
    return { count, resetInMs: ttl };
  }

  async reset(key: string): Promise<void> {
    await this.#redis.del(this.#prefix + key);
  }

  /** Closes the connection if this store opened it. */
  async close(): Promise<void> {
    if (this.#owned) await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
