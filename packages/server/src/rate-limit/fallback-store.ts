import { hitAll, type RateLimitHit, type RateLimitKey, type RateLimitStore } from './rate-limit.ts';

/**
 * Redis down must not take comment posting down with it (it used to answer 500 on every POST).
 * Counters go to Redis while it answers; when a call fails they go to the fallback (the database's
 * `rate_limits` table, shared by every instance on the same database) and Redis is left alone for
 * `retryMs` before it is tried again. Limits stay enforced throughout: per instance group on the
 * database instead of cluster-wide on Redis, with counts restarting when the store switches.
 * The first failure of each outage is logged with its cause.
 */
export class FallbackRateLimitStore implements RateLimitStore {
  #downUntil = 0;
  #loggedOutage = false;

  constructor(
    readonly primary: RateLimitStore & { close?(): Promise<void>; ping?(): Promise<void> },
    readonly fallback: RateLimitStore,
    private readonly options: { retryMs?: number; now?: () => number; logError?: (message: string, error: unknown) => void } = {},
  ) {}

  /** Whether counters currently go to the fallback. */
  get degraded(): boolean {
    return this.#now() < this.#downUntil;
  }

  hit(key: string, windowMs: number): Promise<RateLimitHit> {
    return this.#use((store) => store.hit(key, windowMs));
  }

  hitMany(hits: readonly RateLimitKey[]): Promise<RateLimitHit[]> {
    return this.#use((store) => hitAll(store, hits));
  }

  reset(key: string): Promise<void> {
    return this.#use((store) => store.reset(key));
  }

  /** Throws when Redis does not answer (readiness reports it; posting carries on on the fallback). */
  async ping(): Promise<void> {
    await this.primary.ping?.();
  }

  async close(): Promise<void> {
    await this.primary.close?.();
  }

  async #use<T>(call: (store: RateLimitStore) => Promise<T>): Promise<T> {
    if (!this.degraded) {
      try {
        const result = await call(this.primary);
        this.#loggedOutage = false;
        return result;
      } catch (error) {
        this.#downUntil = this.#now() + (this.options.retryMs ?? 5_000);
        if (!this.#loggedOutage) {
          this.#loggedOutage = true;
          (this.options.logError ?? console.error)('Rate-limit store (Redis) unavailable; counting in the database until it answers again', error);
        }
      }
    }
    return call(this.fallback);
  }

  #now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
