import type { Clock } from '../clock.ts';
import { RateLimitedError } from '../rate-limit/rate-limit.ts';

/**
 * Keeps anonymous login attempts from starving readers. A password check is one scrypt run: ~100 ms
 * of a CPU core and 32 MB on libuv's thread pool (4 threads). Fifty concurrent logins used to fill
 * that pool and both cores, and a cached comment read took 15 s. So, before any hashing:
 *
 * 1. a per-IP budget (`perIp` attempts per `windowMs`) and a global one (`global` per `windowMs`),
 *    counted in this process's memory — what they protect is this process's CPU;
 * 2. at most `concurrency` password checks run at once; at most `queue` more wait their turn;
 * 3. anything beyond answers 429 `rate_limited` with Retry-After at once, costing no hash.
 *
 * The per-email lockout after repeated failures (AdminsService, in the database) stays as it was.
 */
export interface LoginGuardOptions {
  perIp?: number;
  global?: number;
  windowMs?: number;
  concurrency?: number;
  queue?: number;
  /** Distinct IPs remembered per window; beyond it the oldest are dropped (a spoofed-source flood must not grow memory). */
  maxTrackedIps?: number;
}

export const LOGIN_GUARD_DEFAULTS = {
  perIp: 10,
  global: 60,
  windowMs: 60_000,
  concurrency: 1,
  queue: 4,
  maxTrackedIps: 10_000,
} as const satisfies Required<LoginGuardOptions>;

export interface LoginGuardStats {
  active: number;
  queued: number;
  /** Highest `active` / `queued` seen since creation: what the flood test asserts on. */
  peakActive: number;
  peakQueued: number;
  refused: number;
}

export class LoginGuard {
  readonly #options: Required<LoginGuardOptions>;
  readonly #clock: Clock;
  #windowStart = 0;
  #globalCount = 0;
  readonly #perIp = new Map<string, number>();
  readonly #waiting: Array<() => void> = [];
  #active = 0;
  readonly stats: LoginGuardStats = { active: 0, queued: 0, peakActive: 0, peakQueued: 0, refused: 0 };

  constructor(clock: Clock, options: LoginGuardOptions = {}) {
    this.#clock = clock;
    this.#options = { ...LOGIN_GUARD_DEFAULTS, ...options };
  }

  /** Counts one attempt from `ip`; throws 429 when its budget or the global one is spent. Costs no hashing. */
  admit(ip: string): void {
    const now = this.#clock.now().getTime();
    if (now - this.#windowStart >= this.#options.windowMs) {
      this.#windowStart = now;
      this.#globalCount = 0;
      this.#perIp.clear();
    }
    const retryAfter = Math.max(1, Math.ceil((this.#windowStart + this.#options.windowMs - now) / 1000));
    const fromIp = (this.#perIp.get(ip) ?? 0) + 1;
    if (!this.#perIp.has(ip) && this.#perIp.size >= this.#options.maxTrackedIps) this.#perIp.delete(this.#perIp.keys().next().value!);
    this.#perIp.set(ip, fromIp);
    if (fromIp > this.#options.perIp) throw this.#refuse(retryAfter, 'Too many login attempts from this address; try again later');
    if (++this.#globalCount > this.#options.global) throw this.#refuse(retryAfter, 'Too many login attempts right now; try again later');
  }

  /**
   * Gives back a successful login's attempt: the budgets count failures in effect, so an admin (or a
   * test suite) logging in often is never locked out by their own successes.
   */
  refund(ip: string): void {
    const fromIp = this.#perIp.get(ip);
    if (fromIp !== undefined && fromIp > 0) this.#perIp.set(ip, fromIp - 1);
    if (this.#globalCount > 0) this.#globalCount--;
  }

  /** Runs `check` (a password hash) when a slot is free; 429 at once when the queue is full. */
  async hash<T>(check: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#options.concurrency) {
      if (this.#waiting.length >= this.#options.queue) {
        // Each queued check takes a slot's turn: a rough, honest wait.
        throw this.#refuse(Math.max(1, this.#waiting.length), 'The server is busy checking passwords; try again shortly');
      }
      // Resolved by a finishing check that hands over its slot (`#active` keeps counting it).
      await new Promise<void>((resolve) => {
        this.#waiting.push(resolve);
        this.#track();
      });
    } else {
      this.#active++;
    }
    this.#track();
    try {
      return await check();
    } finally {
      // Hand the slot straight to the next in line, so a newcomer cannot overtake the queue.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
      this.#track();
    }
  }

  #refuse(retryAfterSeconds: number, message: string): RateLimitedError {
    this.stats.refused++;
    return new RateLimitedError(retryAfterSeconds, message);
  }

  #track(): void {
    this.stats.active = this.#active;
    this.stats.queued = this.#waiting.length;
    this.stats.peakActive = Math.max(this.stats.peakActive, this.#active);
    this.stats.peakQueued = Math.max(this.stats.peakQueued, this.#waiting.length);
  }
}
