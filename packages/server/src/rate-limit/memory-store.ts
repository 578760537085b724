import type { Clock } from '../clock.ts';
import type { RateLimitHit, RateLimitStore } from './rate-limit.ts';

/** Keys kept at most; past it, ended windows go first, then the oldest keys. */
const MAX_KEYS = 100_000;

/**
 * Counters in this process's memory: for SQLite, which means one server process, a hit costs a
 * map lookup instead of a write to the database file (three per comment posted). Bounded, so a
 * flood of distinct keys cannot grow memory without end.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly clock: Clock) {}

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const now = this.clock.now().getTime();
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      if (window) this.#windows.delete(key);
      else if (this.#windows.size >= MAX_KEYS) this.#evict(now);
      window = { count: 0, resetAt: now + windowMs };
      this.#windows.set(key, window);
    }
    window.count++;
    return { count: window.count, resetInMs: window.resetAt - now };
  }

  async reset(key: string): Promise<void> {
    this.#windows.delete(key);
  }

  get size(): number {
    return this.#windows.size;
  }

  #evict(now: number): void {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
    // Still full: the oldest entries (Map keeps insertion order) make room.
    for (const key of this.#windows.keys()) {
      if (this.#windows.size < MAX_KEYS * 0.9) break;
      this.#windows.delete(key);
    }
  }
}
