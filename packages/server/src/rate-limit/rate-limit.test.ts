import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { ErrorBodySchema } from '@parley/schema';
import { AppError, errorBody } from '../lib/errors.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, eventually, manualClock, skipReason } from '../test/helpers.ts';
import { DatabaseRateLimitStore } from './database-store.ts';
import { RateLimitedError, type RateLimitStore } from './rate-limit.ts';
import { RedisRateLimitStore } from './redis-store.ts';
import { createRateLimitStore, FallbackRateLimitStore } from './index.ts';
import { MemoryRateLimitStore } from './memory-store.ts';

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A tiny app with the real middleware and the app's Retry-After handling. */
function limitedApp(store: RateLimitStore, max: number, windowSeconds: number) {
  const app = new Hono()
    .use('/write', rateLimit(store, (c) => [{ key: `ip:${c.req.header('x-test-ip')}`, max, windowSeconds, label: 'per IP' }]))
    .post('/write', (c) => c.json({ ok: true }, 201));
  app.onError((error, c) => {
    if (error instanceof RateLimitedError) c.header('Retry-After', String(error.retryAfterSeconds));
    if (error instanceof AppError) return c.json(errorBody(error.code, error.message), error.status);
    throw error;
  });
  return app;
}

const hit = (app: ReturnType<typeof limitedApp>, ip: string) => app.request('/write', { method: 'POST', headers: { 'x-test-ip': ip } });

for (const dialect of await dialectsUnderTest()) {
  describe(`database rate limits on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    const clock = manualClock();

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
    });
    after(async () => dispose?.());

    test('counts per key in a fixed window; 429 with Retry-After over the limit; a new window starts afresh', async () => {
      const app = limitedApp(new DatabaseRateLimitStore(store.db, clock), 3, 60);
      for (let i = 0; i < 3; i++) assert.equal((await hit(app, 'a')).status, 201);
      clock.advance(20_000);
      const limited = await hit(app, 'a');
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '40');
      const body = ErrorBodySchema.parse(await limited.json());
      assert.equal(body.error.code, 'rate_limited');
      assert.match(body.error.message, /per IP: at most 3 in 60 s/);
      assert.equal((await hit(app, 'b')).status, 201, 'another key has its own budget');
      clock.advance(40_000);
      assert.equal((await hit(app, 'a')).status, 201);
    });

    test('two instances on one database share the counters, also under concurrent hits', async () => {
      const one = new DatabaseRateLimitStore(store.db, clock);
      const two = new DatabaseRateLimitStore(store.db, clock);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).hit('shared', 60_000)));
      assert.deepEqual(results.map((r) => r.count).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
      await one.reset('shared');
      assert.equal((await two.hit('shared', 60_000)).count, 1);
    });

    test('several keys in one statement: each counted in its own window, in the order asked', async () => {
      const limits = new DatabaseRateLimitStore(store.db, clock);
      await limits.hit('many:b', 10_000);
      const first = await limits.hitMany([{ key: 'many:a', windowMs: 60_000 }, { key: 'many:b', windowMs: 10_000 }, { key: 'many:c', windowMs: 3_600_000 }]);
      assert.deepEqual(first, [{ count: 1, resetInMs: 60_000 }, { count: 2, resetInMs: 10_000 }, { count: 1, resetInMs: 3_600_000 }]);
      clock.advance(10_000);
      // b's window ended: it starts again with its own window; a and c count on.
      const second = await limits.hitMany([{ key: 'many:c', windowMs: 3_600_000 }, { key: 'many:b', windowMs: 10_000 }, { key: 'many:a', windowMs: 60_000 }]);
      assert.deepEqual(second, [{ count: 2, resetInMs: 3_590_000 }, { count: 1, resetInMs: 10_000 }, { count: 2, resetInMs: 50_000 }]);
    });

    test('createRateLimitStore picks memory on SQLite (one process), the database on PostgreSQL, Redis (that store while it is down) with PARLEY_REDIS_URL', async () => {
      const local = store.dialect === 'sqlite' ? MemoryRateLimitStore : DatabaseRateLimitStore;
      assert.ok(createRateLimitStore({ store, clock }) instanceof local);
      const redis = createRateLimitStore({ redisUrl: REDIS_URL, store, clock });
      assert.ok(redis instanceof FallbackRateLimitStore && redis.primary instanceof RedisRateLimitStore && redis.fallback instanceof local);
      await redis.close?.();
    });

    test('on PostgreSQL the counters commit without waiting for the WAL flush, in their own transaction only', { skip: dialect.name !== 'postgres' }, async () => {
      await store.db.connection().execute(async (connection) => {
        const rows: Array<Record<string, unknown>> = [];
        const seen = connection.withPlugin({
          transformQuery: (args) => args.node,
          transformResult: async (args) => {
            rows.push(...(args.result.rows as Array<Record<string, unknown>>));
            return args.result;
          },
        });
        const limits = new DatabaseRateLimitStore(seen, clock, true);
        assert.deepEqual(await limits.hitMany([{ key: 'async:a', windowMs: 60_000 }, { key: 'async:b', windowMs: 60_000 }]), [{ count: 1, resetInMs: 60_000 }, { count: 1, resetInMs: 60_000 }]);
        // In force when the upsert's own transaction commits (PostgreSQL commits by the setting then)…
        assert.deepEqual(rows.map((row) => row.async_commit), ['off', 'off']);
        // …and gone for the next statement on that connection (a comment's commit must wait for the flush).
        const after = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(connection);
        assert.equal(after.rows[0]!.synchronous_commit, 'on');
      });
    });

    test('prune removes ended windows only', async () => {
      const limits = new DatabaseRateLimitStore(store.db, clock);
      await limits.hit('short', 1_000);
      await limits.hit('long', 600_000);
      clock.advance(2_000);
      assert.ok((await limits.prune()) >= 1);
      const keys = (await store.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key);
      assert.ok(keys.includes('long') && !keys.includes('short'));
    });
  });
}

async function redisUnavailable(): Promise<string | undefined> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    await probe.ping();
    return undefined;
  } catch (error) {
    return `Redis at ${REDIS_URL} is unreachable (${(error as Error).message})`;
  } finally {
    probe.disconnect();
  }
}

const redisSkip = await redisUnavailable();
describe('Redis rate limits', { skip: redisSkip && process.env.CI !== 'true' ? `${redisSkip}; CI=true makes this a failure` : undefined }, () => {
  const prefix = `parley:test:${Math.random().toString(36).slice(2)}:`;
  let one: RedisRateLimitStore;
  let two: RedisRateLimitStore;

  before(() => {
    if (redisSkip) throw new Error(`Redis is required under CI=true: ${redisSkip}`);
    one = new RedisRateLimitStore(REDIS_URL, { prefix });
    two = new RedisRateLimitStore(REDIS_URL, { prefix });
  });
  after(async () => {
    await one?.close();
    await two?.close();
  });

  test('429 with Retry-After through the middleware; instances share counters; the window expires', async () => {
    const appOne = limitedApp(one, 2, 1);
    const appTwo = limitedApp(two, 2, 1);
    assert.equal((await hit(appOne, 'x')).status, 201);
    assert.equal((await hit(appTwo, 'x')).status, 201);
    const limited = await hit(appOne, 'x');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    // The window ends when Redis expires the key (its clock, not ours): poll for that state.
    const after = await eventually(async () => (await hit(appTwo, 'x')).status, (status) => status !== 429, 'the window to expire', 5_000);
    assert.equal(after.value, 201, 'the window expired');
  });

  test('concurrent hits are counted exactly once each', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? one : two).hit('burst', 10_000)));
    assert.deepEqual(results.map((r) => r.count).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1));
    assert.ok(results.every((r) => r.resetInMs > 0 && r.resetInMs <= 10_000));
    await one.reset('burst');
    assert.equal((await two.hit('burst', 10_000)).count, 1);
  });
});

describe('memory rate limits (SQLite: one process)', () => {
  test('counts per key in fixed windows and starts again after the window', async () => {
    const clock = manualClock();
    const limits = new MemoryRateLimitStore(clock);
    assert.deepEqual(await limits.hit('k', 1_000), { count: 1, resetInMs: 1_000 });
    clock.advance(400);
    assert.deepEqual(await limits.hit('k', 1_000), { count: 2, resetInMs: 600 });
    assert.equal((await limits.hit('other', 1_000)).count, 1);
    clock.advance(600);
    assert.deepEqual(await limits.hit('k', 1_000), { count: 1, resetInMs: 1_000 });
    await limits.reset('k');
    assert.equal((await limits.hit('k', 1_000)).count, 1);
  });

  test('stays bounded under a flood of distinct keys', async () => {
    const clock = manualClock();
    const limits = new MemoryRateLimitStore(clock);
    for (let i = 0; i < 120_000; i++) await limits.hit(`flood:${i}`, 60_000);
    assert.ok(limits.size <= 100_000, `size ${limits.size}`);
    assert.equal((await limits.hit('flood:119999', 60_000)).count, 2, 'recent keys are kept');
  });
});
