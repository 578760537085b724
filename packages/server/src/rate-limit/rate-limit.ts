import { AppError } from '../lib/errors.ts';

/**
 * Fixed-window counters behind one interface, so one instance can keep them in its database and
 * several instances can share them in PostgreSQL or Redis.
 */
export interface RateLimitStore {
  /** Counts one hit on `key` in a window of `windowMs`; answers the count so far and the time left in the window. */
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
  /** Forgets `key` (a successful login, a moderator's reset). */
  reset(key: string): Promise<void>;
  /** Counts a hit on each of several distinct keys at once (one round trip), answering in their order. */
  hitMany?(hits: readonly RateLimitKey[]): Promise<RateLimitHit[]>;
}

export interface RateLimitKey {
  key: string;
  windowMs: number;
}

/** Counts every hit: in one call when the store can, else one after another. */
export async function hitAll(store: RateLimitStore, hits: readonly RateLimitKey[]): Promise<RateLimitHit[]> {
  const distinct = new Set(hits.map((hit) => hit.key)).size === hits.length;
  if (store.hitMany && distinct && hits.length > 1) return store.hitMany(hits);
  const results: RateLimitHit[] = [];
  for (const hit of hits) results.push(await store.hit(hit.key, hit.windowMs));
  return results;
}

export interface RateLimitHit {
  count: number;
  /** Milliseconds until the window ends and the count starts again. */
  resetInMs: number;
}

/** One limit to check: at most `max` hits per `windowSeconds` on `key`. */
export interface RateLimitCheck {
  key: string;
  max: number;
  windowSeconds: number;
  /** Says which limit was hit, in the error message: "per IP", "on this page"… */
  label?: string;
}

/** 429 `rate_limited`; the app's error handler adds `Retry-After: retryAfterSeconds`. */
export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    message = `Too many requests; try again in ${retryAfterSeconds} s`,
  ) {
    super(429, 'rate_limited', message);
    this.name = 'RateLimitedError';
  }
}

/**
 * Counts a hit on every check and throws RateLimitedError for the first one over its limit, with the
 * longest wait among those exceeded. Every check is counted even when an earlier one fails, so a
 * client hammering one page cannot dodge its per-IP budget.
 */
export async function enforceRateLimits(store: RateLimitStore, checks: readonly RateLimitCheck[]): Promise<void> {
  let worst: { check: RateLimitCheck; retryAfter: number } | undefined;
  const hits = await hitAll(store, checks.map((check) => ({ key: check.key, windowMs: check.windowSeconds * 1000 })));
  for (const [i, check] of checks.entries()) {
    const { count, resetInMs } = hits[i]!;
    if (count > check.max) {
      const retryAfter = Math.max(1, Math.ceil(resetInMs / 1000));
      if (!worst || retryAfter > worst.retryAfter) worst = { check, retryAfter };
    }
  }
  if (worst) {
    const what = worst.check.label ? ` ${worst.check.label}` : '';
    throw new RateLimitedError(
      worst.retryAfter,
      `Too many requests${what}: at most ${worst.check.max} in ${worst.check.windowSeconds} s; try again in ${worst.retryAfter} s`,
    );
  }
}
