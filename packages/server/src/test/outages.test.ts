import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ErrorBodySchema } from '@parley/schema';
import { createApp } from '../app.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import { openStore, type Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason, tempDir } from './helpers.ts';

/** Nothing listens here: a Redis that is down. */
const REDIS_DOWN = 'redis://127.0.0.1:1';
const unlimited = { max: 1_000_000, windowSeconds: 60 };
const openSites = () =>
  SiteRegistry.fromFile(parseSitesConfig({ sites: [{ id: 'default', origins: ['*'], duplicateWindowSeconds: 0, rateLimits: { perIp: unlimited, perAuthor: unlimited, perPage: unlimited } }] }, 'test.json'));

for (const dialect of await dialectsUnderTest()) {
  describe(`outages on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
    });
    after(async () => dispose?.());

    test('Redis down: posting still works on the database counters, the outage is logged once, /readyz names it', async () => {
      const logged: string[] = [];
      const shutdown = new AbortController();
      const app = createApp({ store, clock: manualClock(), shutdown: shutdown.signal, config: { adminToken: undefined, embedFile: '/nonexistent', redisUrl: REDIS_DOWN }, logError: (message) => logged.push(message) });
      try {
        for (const n of [1, 2]) {
          const response = await app.request('/api/comments', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ page: '/redis-down', body: `still here ${n}` }) });
          assert.equal(response.status, 201, await response.text());
        }
        // PostgreSQL: its rate_limits table counts instead; SQLite (one process): this process's memory.
        if (store.dialect === 'postgres') {
          const counters = await store.db.selectFrom('rate_limits').select('key').execute();
          assert.ok(counters.length > 0, 'the database counted instead');
        }
        assert.equal(logged.filter((message) => /Redis/.test(message)).length, 1, logged.join('\n'));
        const ready = await app.request('/readyz');
        assert.equal(ready.status, 200);
        const body = (await ready.json()) as { status: string; checks: Record<string, string> };
        assert.equal(body.checks.database, 'ok');
        assert.match(body.checks.redis!, /^down/);
      } finally {
        shutdown.abort();
      }
    });

    test('/readyz: 503 storage_unavailable naming the database when it is unusable; /healthz stays the liveness probe', async () => {
      const broken = dialect.name === 'postgres' ? openStore('postgres://root@127.0.0.1:1/test') : openStore(`file:${path.join(tempDir().dir, 'closed.sqlite')}`);
      if (dialect.name === 'sqlite') {
        // A database closed under the app (what shutdown used to race with): every query fails.
        await broken.migrate();
        await broken.close();
      }
      const app = createApp({ store: broken, clock: manualClock(), config: { adminToken: undefined, embedFile: '/nonexistent' }, logError: () => {} });
      const ready = await app.request('/readyz');
      assert.equal(ready.status, 503);
      const body = ErrorBodySchema.parse(await ready.json());
      assert.equal(body.error.code, 'storage_unavailable');
      assert.equal(body.error.issues?.[0]?.path, 'database');
      // A write answers 503 + Retry-After with the error JSON, not a bare 500.
      const posted = await app.request('/api/comments', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ page: '/down', body: 'x' }) });
      assert.equal(posted.status, 503);
      assert.ok(Number(posted.headers.get('retry-after')) >= 1);
      assert.equal(ErrorBodySchema.parse(await posted.json()).error.code, 'storage_unavailable');
      await broken.close();
    });

    test('a wrong method on an id route is 405 with Allow', async () => {
      const app = createApp({ store, clock: manualClock(), config: { adminToken: 'token', embedFile: '/nonexistent' }, logError: () => {} });
      for (const [method, url, allow] of [
        ['PUT', '/api/comments/01J00000000000000000000000', 'GET, HEAD, PATCH, DELETE, OPTIONS'],
        ['GET', '/api/comments/01J00000000000000000000000/like', 'POST, OPTIONS'],
        ['GET', '/api/admin/login', 'POST, OPTIONS'],
        ['PUT', '/api/admin/bans/01J00000000000000000000000', 'DELETE, OPTIONS'],
      ] as const) {
        const response = await app.request(url, { method });
        assert.equal(response.status, 405, `${method} ${url}`);
        assert.equal(response.headers.get('allow'), allow);
        assert.equal(ErrorBodySchema.parse(await response.json()).error.code, 'method_not_allowed');
      }
      assert.equal((await app.request('/api/no-such-thing')).status, 404);
    });
  });
}

/** Mounting needs root (CI runs as root); elsewhere this says why it is skipped, and fails under CI. */
function tmpfsUnavailable(): string | undefined {
  if (process.getuid?.() === 0) return undefined;
  if (process.env.CI === 'true') return undefined;
  return 'mounting a tmpfs needs root';
}

describe('SQLite storage full', { skip: tmpfsUnavailable() }, () => {
  const temp = tempDir('parley-full-');
  let mounted = false;
  let store: Store | undefined;
  before(() => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', temp.dir]);
    mounted = true;
  });
  after(async () => {
    await store?.close();
    if (mounted) execFileSync('umount', [temp.dir]);
    temp.remove();
  });

  test('a write on a full disk is 503 storage_unavailable, and the log shows SQLITE_FULL, not a failed rollback', async () => {
    store = openStore(`file:${path.join(temp.dir, 'parley.sqlite')}`);
    await store.migrate();
    const logged: unknown[] = [];
    const app = createApp({ store, sites: openSites(), clock: manualClock(), config: { adminToken: undefined, embedFile: '/nonexistent' }, logError: (_message, error) => logged.push(error) });
    // Fill what is left of the 2 MB.
    const filler = openSync(path.join(temp.dir, 'filler'), 'w');
    try {
      for (;;) writeSync(filler, Buffer.alloc(64 * 1024));
    } catch (error) {
      assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
    } finally {
      closeSync(filler);
    }
    // The WAL may still have room for a little: post until the disk says no.
    let response: Response | undefined;
    for (let n = 0; n < 500; n++) {
      response = await app.request('/api/comments', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ page: `/full-${n}`, body: 'x'.repeat(9_000) }) });
      if (response.status !== 201) break;
    }
    assert.equal(response!.status, 503, await response!.clone().text());
    assert.ok(Number(response!.headers.get('retry-after')) >= 1);
    assert.equal(ErrorBodySchema.parse(await response!.json()).error.code, 'storage_unavailable');
    assert.equal(logged.length, 1);
    assert.match(String((logged[0] as { code?: string }).code), /^SQLITE_FULL/);
    assert.doesNotMatch(String(logged[0]), /cannot rollback/);
  });
});
