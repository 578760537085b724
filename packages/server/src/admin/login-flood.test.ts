import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import { ErrorBodySchema } from '@parley/schema';
import { createApp } from '../app.ts';
import { systemClock } from '../clock.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../test/helpers.ts';
import { LOGIN_GUARD_DEFAULTS, LoginGuard } from './login-guard.ts';

// The flood is about this process's CPU and libuv pool, not about the database: SQLite only.
const sqlite = (await dialectsUnderTest()).find((dialect) => dialect.name === 'sqlite')!;

describe('login flood over real HTTP', { skip: skipReason(sqlite) }, () => {
  let store: Store;
  let dispose: () => Promise<void>;
  let server: Server;
  let url: string;
  const guard = new LoginGuard(systemClock);

  before(async () => {
    ({ store, dispose } = await sqlite.open());
    // One hop of trusted proxy: every flooding request claims its own address, as a botnet's would.
    const app = createApp({ store, config: { adminToken: undefined, embedFile: '/nonexistent', trustProxy: true }, loginGuard: guard, logError: () => {} });
    server = await new Promise<Server>((resolve) => {
      const created = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(created as Server)) as Server;
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await dispose?.();
  });

  test('50 concurrent logins with random emails: 429 + Retry-After beyond the queue, the hashing bound holds, reads still answer', async () => {
    const posted = await fetch(`${url}/api/comments`, { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ page: '/flood', body: 'hello' }) });
    assert.equal(posted.status, 201);
    const read = async () => {
      const started = performance.now();
      const response = await fetch(`${url}/api/comments?page=/flood`);
      assert.equal(response.status, 200);
      await response.arrayBuffer();
      return performance.now() - started;
    };
    await read(); // fills the first-page cache

    let flooding = true;
    const latencies: number[] = [];
    const reader = (async () => {
      while (flooding) latencies.push(await read());
    })();
    const logins = await Promise.all(
      Array.from({ length: 50 }, async (_, n) => {
        const response = await fetch(`${url}/api/admin/login`, {
          method: 'POST',
          headers: { ...jsonHeaders, 'x-forwarded-for': `198.51.100.${n + 1}` },
          body: JSON.stringify({ email: `${Math.random().toString(36).slice(2)}@flood.example`, password: 'not-the-password' }),
        });
        return { status: response.status, retryAfter: response.headers.get('retry-after'), body: ErrorBodySchema.parse(await response.json()) };
      }),
    );
    flooding = false;
    await reader;

    const refused = logins.filter((login) => login.status === 429);
    const checked = logins.filter((login) => login.status === 401);
    assert.equal(refused.length + checked.length, 50, JSON.stringify(logins.map((login) => login.status)));
    // Only what fitted in the hashing slot and the queue got a password check (slots free up while the
    // flood arrives, so a few more than slot + queue may); everyone else was told when to come back.
    assert.ok(checked.length >= 1 && refused.length >= 50 / 2, `${checked.length} checked, ${refused.length} refused`);
    for (const login of refused) {
      assert.equal(login.body.error.code, 'rate_limited');
      assert.ok(Number(login.retryAfter) >= 1, `Retry-After: ${login.retryAfter}`);
    }
    assert.ok(guard.stats.peakActive <= LOGIN_GUARD_DEFAULTS.concurrency, JSON.stringify(guard.stats));
    assert.ok(guard.stats.peakQueued <= LOGIN_GUARD_DEFAULTS.queue, JSON.stringify(guard.stats));
    assert.equal(guard.stats.active + guard.stats.queued, 0);
    assert.ok(latencies.length > 0);
  });
});

describe('login budgets', () => {
  test('per IP, then global, counted before any hashing; a new window starts afresh', async () => {
    const clock = manualClock();
    const guard = new LoginGuard(clock, { perIp: 2, global: 3, windowMs: 60_000 });
    guard.admit('a');
    guard.admit('a');
    assert.throws(() => guard.admit('a'), (error: Error & { status?: number }) => error.status === 429);
    guard.admit('b');
    assert.throws(() => guard.admit('c'), /right now/);
    clock.advance(60_000);
    guard.admit('a');
    // Successful logins give their attempt back: only failures use the budget up.
    for (let n = 0; n < 10; n++) {
      guard.admit('a');
      guard.refund('a');
    }
  });

  test('the queue: at most `concurrency` checks run, at most `queue` wait, the rest are refused without running', async () => {
    const guard = new LoginGuard(manualClock(), { concurrency: 1, queue: 2 });
    const releases: Array<() => void> = [];
    let ran = 0;
    const check = () => guard.hash(() => new Promise<void>((resolve) => { ran++; releases.push(resolve); }));
    const running = [check(), check(), check()];
    await assert.rejects(check(), (error: Error & { status?: number }) => error.status === 429);
    assert.deepEqual([ran, guard.stats.active, guard.stats.queued], [1, 1, 2]);
    while (ran < 3 || releases.length > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(running);
    assert.deepEqual([ran, guard.stats.peakActive, guard.stats.active, guard.stats.queued], [3, 1, 0, 0]);
  });
});
