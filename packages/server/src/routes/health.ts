import { Hono } from 'hono';
import { errorBody } from '../lib/errors.ts';
import type { Store } from '../store/store.ts';

export function healthRoutes(store: Store) {
  return new Hono().get('/', async (c) => {
    await store.ping(); // a failing database makes this a 500, which is what a probe should see
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' as const }, 200);
  });
}

/** A dependency the readiness check pings: `ping` throws when it is unusable. */
export interface ReadinessCheck {
  name: string;
  ping(): Promise<void>;
  /** Down but not fatal (Redis: counters fall back to the database): reported, still ready. */
  optional?: boolean;
}

/**
 * `GET /readyz`: may this instance take traffic? Pings each dependency (bounded by `timeoutMs`).
 * 200 `{ status: 'ready', checks }` — `checks` names each dependency `ok` or `down: <reason>`;
 * 503 `storage_unavailable` (the error JSON, with one issue per dependency down) when a required
 * one (the database) is down. `/healthz` stays the liveness probe.
 */
export function readyRoutes(checks: readonly ReadinessCheck[], options: { timeoutMs?: number } = {}) {
  const timeoutMs = options.timeoutMs ?? 2_000;
  return new Hono().get('/', async (c) => {
    c.header('Cache-Control', 'no-store');
    const results = await Promise.all(
      checks.map(async (check) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            check.ping(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
            }),
          ]);
          return { check, state: 'ok' };
        } catch (error) {
          const { code } = error as { code?: unknown };
          return { check, state: `down: ${typeof code === 'string' ? `${code} ` : ''}${(error as Error).message ?? String(error)}`.trim() };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const down = results.filter((result) => result.state !== 'ok' && !result.check.optional);
    if (down.length > 0) {
      const issues = down.map((result) => ({ path: result.check.name, message: result.state }));
      return c.json(errorBody('storage_unavailable', `Not ready: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`, issues), 503);
    }
    return c.json({ status: 'ready' as const, checks: Object.fromEntries(results.map((result) => [result.check.name, result.state])) }, 200);
  });
}
