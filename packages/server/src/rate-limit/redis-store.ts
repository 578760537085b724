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
    this.#redis = typeof redis === 'string' ? new Redis(redis, {
          lazyConnect: true,
          // Fail at once while disconnected instead of queueing: the caller falls back to the database.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          connectTimeout: 2_000,
        }) : redis;
    // Without a listener ioredis prints "[ioredis] Unhandled error event" on every reconnect attempt
    // for as long as Redis is down. Failures reach the caller through the failed command instead
    // (FallbackRateLimitStore logs the first one of an outage with its cause).
    if (this.#owned) this.#redis.on('error', () => {});
    this.#prefix = options.prefix ?? 'parley:rl:';
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    await this.#connect();
    const [count, ttl] = (await this.#redis.eval(HIT_SCRIPT, 1, this.#prefix + key, String(windowMs))) as [number, number];
    return { count, resetInMs: ttl };
  }

  async ping(): Promise<void> {
    await this.#connect();
    await this.#redis.ping();
  }

  /**
   * A lazy client connects on first use; without the offline queue, a command must wait for that
   * first connection (or its failure). Once connected, a lost connection fails commands at once.
   */
  async #connect(): Promise<void> {
    const redis = this.#redis;
    if (redis.status === 'wait') {
      await redis.connect();
      return;
    }
    if (redis.status !== 'connecting' && redis.status !== 'connect') return;
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: unknown) => {
        redis.off('ready', onReady);
        redis.off('error', onError);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => settle();
      const onError = (error: unknown) => settle(error ?? new Error('Redis connection failed'));
      redis.once('ready', onReady);
      redis.once('error', onError);
    });
  }

  async reset(key: string): Promise<void> {
    await this.#connect();
    await this.#redis.del(this.#prefix + key);
  }

  /** Closes the connection if this store opened it. */
  async close(): Promise<void> {
    if (this.#owned) await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
