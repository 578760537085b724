import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { ErrorBodySchema } from '@parley/schema';
import { LoginGuard } from '../admin/login-guard.ts';
import { createApp } from '../app.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { FUZZ_ADMIN_TOKEN, routes, type FuzzRequest } from './fuzz-requests.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from './helpers.ts';

/**
 * Property: whatever a client sends to any route, the answer is never a 5xx, every error is the
 * documented JSON shape, nothing is logged as unexpected, and a 4xx writes no row.
 *
 * FUZZ_RUNS requests per route per database (default 60: the suite stays well under a minute here);
 * FUZZ_SEED picks the sequence (default fixed, so CI is repeatable; `random` for a fresh one).
 * A long run: `FUZZ_RUNS=1500 FUZZ_SEED=random node --import tsx --test src/test/fuzz.test.ts`.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FUZZ_SEED ?? 20261205);

/** Tables a request's purpose is to change; counters and login attempts are written on refusals by design. */
const DATA_TABLES = ['comments', 'articles', 'flags', 'bans', 'comment_likes', 'thread_locks', 'related_pins', 'related_clicks', 'reply_subscriptions', 'idempotency_keys', 'admins'] as const;

async function dataRows(store: Store): Promise<number> {
  let total = 0;
  for (const table of DATA_TABLES) {
    const row = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    total += Number(row.n);
  }
  return total;
}

const unlimited = { max: 1_000_000, windowSeconds: 60 };

for (const dialect of await dialectsUnderTest()) {
  describe(`fuzzing every route on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const unexpected: string[] = [];
    const ids: string[] = [];
    let requests = 0;
    const statuses = new Map<number, number>();

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      const clock = manualClock();
      const sites = SiteRegistry.fromFile(
        parseSitesConfig({ sites: [{ id: 'default', origins: ['*'], duplicateWindowSeconds: 0, minFillSeconds: 0, honeypot: false, rateLimits: { perIp: unlimited, perAuthor: unlimited, perPage: unlimited } }] }, 'fuzz.json'),
      );
      app = createApp({
        store,
        clock,
        sites,
        config: { adminToken: FUZZ_ADMIN_TOKEN, embedFile: '/nonexistent', secret: 'fuzz', trustProxy: true },
        // A couple of real password checks are enough; the rest of the login fuzz meets the budget (429).
        loginGuard: new LoginGuard(clock, { perIp: 2, global: 4 }),
        // Only what the error handler calls unexpected (a 500) or a storage failure counts; services also log
        // expected conditions (a privacy request with no SMTP configured).
        logError: (message, error) => {
          if (/^(Unexpected error|Storage failure)/.test(message)) unexpected.push(`${message}: ${(error as Error)?.stack ?? String(error)}`);
        },
      });
      const seeded = await app.request('/api/comments', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ page: '/fuzz', body: 'seed' }) });
      assert.equal(seeded.status, 201);
      ids.push(((await seeded.json()) as { id: string }).id);
    });
    after(async () => {
      console.log(`fuzz ${dialect.name}: ${requests} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}, seed ${SEED}`);
      await dispose?.();
    });

    async function check(request: FuzzRequest): Promise<void> {
      requests++;
      const writes = request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS';
      const before = writes ? await dataRows(store) : 0;
      const response = await app.request(request.path, {
        method: request.method,
        headers: { 'x-forwarded-for': '198.51.100.7', ...request.headers },
        ...(request.body === undefined || request.method === 'GET' || request.method === 'HEAD' ? {} : { body: request.body }),
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const text = await response.text();
      const what = `${request.method} ${request.path.slice(0, 200)} → ${response.status} ${text.slice(0, 300)}`;
      assert.ok(response.status < 500, what);
      assert.deepEqual(unexpected, [], what);
      if (response.status >= 400 && request.method !== 'HEAD') {
        ErrorBodySchema.parse(JSON.parse(text));
        if (writes) assert.equal(await dataRows(store), before, `a ${response.status} wrote rows: ${what}`);
      }
    }

    for (const route of routes(() => ids)) {
      test(route.name, async () => {
        // Each route starts clean: one unexpected error must fail its own route, not every later one.
        unexpected.length = 0;
        const result = await fc.check(fc.asyncProperty(route.request, check), { numRuns: RUNS, seed: SEED, endOnFailure: true });
        if (result.failed) assert.fail(`${route.name}: ${String(result.errorInstance)}\ncounterexample: ${JSON.stringify(result.counterexample)?.slice(0, 2000)}\nunexpected: ${unexpected.join('\n')}`);
      });
    }
  });
}
