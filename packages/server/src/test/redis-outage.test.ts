import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createApp } from '../app.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, eventually, jsonHeaders, manualClock, skipReason, tempDir } from './helpers.ts';

// A real Redis of this test's own (never the machine's shared one on 6379) is killed with SIGKILL
// while comments are being posted, then started again on the same port. What must hold (README,
// "Outages"): no POST fails, counters go to the database (memory on SQLite) meanwhile, /readyz
// names Redis as down but stays ready, and once Redis is back readiness and counting return to it.

const REDIS_SERVER = spawnSync('redis-server', ['--version']).status === 0 ? 'redis-server' : undefined;
const unlimited = { max: 1_000_000, windowSeconds: 60 };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts redis-server on `port` with no persistence; resolves once it says it accepts connections. */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
  });
  return child;
}

/** Keys in the test's Redis, read by a fresh connection (the app's own may be reconnecting). */
async function keysIn(port: number): Promise<number> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    return await client.dbsize();
  } finally {
    client.disconnect();
  }
}

/** Waits until `check` holds (state, not time; the deadline only bounds a failure). */
const until = (what: string, check: () => Promise<boolean>) => eventually(check, (held) => held, what);

for (const dialect of await dialectsUnderTest()) {
  describe(`a real Redis killed and restarted under load, on ${dialect.name}`, { skip: skipReason(dialect) ?? (REDIS_SERVER ? undefined : 'redis-server is not installed') }, () => {
    const temp = tempDir('parley-redis-');
    let store: Store;
    let dispose: () => Promise<void>;
    let redis: ChildProcess | undefined;
    let port: number;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      port = await freePort();
      redis = await startRedis(port, temp.dir);
    });
    after(async () => {
      if (redis && redis.exitCode === null && redis.signalCode === null) {
        redis.kill('SIGKILL');
        await once(redis, 'exit');
      }
      await dispose?.();
      temp.remove();
    });

    test('posting never fails; /readyz names Redis down, then ready again; counting goes back to Redis', async () => {
      const logged: string[] = [];
      const shutdown = new AbortController();
      const sites = SiteRegistry.fromFile(parseSitesConfig({ sites: [{ id: 'default', origins: ['*'], duplicateWindowSeconds: 0, rateLimits: { perIp: unlimited, perAuthor: unlimited, perPage: unlimited } }] }, 'test.json'));
      const app = createApp({ store, sites, clock: manualClock(), shutdown: shutdown.signal, config: { adminToken: undefined, embedFile: '/nonexistent', redisUrl: `redis://127.0.0.1:${port}` }, logError: (message) => logged.push(message) });
      const redisCheck = async () => ((await (await app.request('/readyz')).json()) as { checks?: { redis?: string } }).checks?.redis ?? 'no redis check';
      // Comments posted one after another for the whole test, through the outage: every answer is kept.
      const statuses = new Map<number, number>();
      let posting = true;
      let posted = 0;
      const post = async () => {
        const n = ++posted;
        const response = await app.request('/api/comments', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ page: '/redis-restart', body: `comment ${n}` }) });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status !== 201) logged.push(`POST ${n}: ${response.status} ${await response.text()}`);
      };
      // ioredis prints to console.error when nobody listens for its errors: an outage must not flood the log.
      const printed: string[] = [];
      const consoleError = console.error;
      console.error = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
      const load = (async () => {
        while (posting) {
          await post();
          // On SQLite a post can settle in microtasks alone: let timers and sockets (the checks below) run.
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      try {
        await until('counters are in Redis', async () => (await keysIn(port)) > 0);
        assert.equal(await redisCheck(), 'ok');

        redis!.kill('SIGKILL');
        await once(redis!, 'exit');
        await until('/readyz names Redis as down', async () => (await redisCheck()).startsWith('down'));
        const ready = await app.request('/readyz');
        assert.equal(ready.status, 200, 'Redis down is reported, and the instance stays ready');
        const during = posted;
        await until('comments are still posted while Redis is down', async () => posted >= during + 5);
        if (store.dialect === 'postgres') {
          const counters = await store.db.selectFrom('rate_limits').select('key').execute();
          assert.ok(counters.length > 0, 'the database counts while Redis is down');
        }

        // Started empty (no persistence): keys in it later were counted after the restart.
        redis = await startRedis(port, temp.dir);
        await until('/readyz says Redis is ok again', async () => (await redisCheck()) === 'ok');
        await until('counting is back in Redis', async () => (await keysIn(port)) > 0);
      } finally {
        posting = false;
        await load;
        shutdown.abort();
        console.error = consoleError;
      }
      assert.deepEqual(printed, [], 'nothing printed past the logger');
      assert.deepEqual([...statuses.keys()], [201], `every POST answered 201: ${JSON.stringify([...statuses])}\n${logged.join('\n')}`);
      assert.equal(logged.filter((message) => /Redis/.test(message)).length, 1, `the outage is logged once:\n${logged.join('\n')}`);
    });
  });
}
