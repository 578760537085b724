import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { enforceRateLimits, type RateLimitCheck, type RateLimitStore } from '../rate-limit/rate-limit.ts';

/**
 * Rate limits a route: `checks(c)` names the keys and limits for this request (return [] to let it
 * through). Over a limit → 429 `rate_limited` with `Retry-After`, through the app's error handler.
 */
export function rateLimit(store: RateLimitStore, checks: (c: Context) => readonly RateLimitCheck[] | Promise<readonly RateLimitCheck[]>) {
  return createMiddleware(async function rateLimit(c, next) {
    await enforceRateLimits(store, await checks(c));
    await next();
  });
}
