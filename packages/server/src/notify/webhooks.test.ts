import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { startServer } from '../server.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import { listDeliveries } from '../store/webhooks.repository.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, eventually, manualClock, skipReason, tempDir } from '../test/helpers.ts';
import { backoffMs, signWebhook, verifyWebhook, WebhookWorker, type WebhookBody } from './webhooks.ts';

const SECRET = 'whsec-0123456789abcdef';

describe('signatures', () => {
  test('t=…,v1=HMAC-SHA256(secret, t.body), verified in constant time with a replay window', () => {
    const header = signWebhook(SECRET, 1_700_000_000, '{"a":1}');
    assert.match(header, /^t=1700000000,v1=[0-9a-f]{64}$/);
    assert.equal(verifyWebhook(SECRET, header, '{"a":1}', 1_700_000_100), true);
    assert.equal(verifyWebhook(SECRET, header, '{"a":2}', 1_700_000_100), false, 'body changed');
    assert.equal(verifyWebhook('another-secret-xyz', header, '{"a":1}', 1_700_000_100), false);
    assert.equal(verifyWebhook(SECRET, header, '{"a":1}', 1_700_000_400), false, 'too old');
    assert.equal(verifyWebhook(SECRET, header.replace('t=1700000000', 't=1700000001'), '{"a":1}', 1_700_000_000), false);
    assert.equal(verifyWebhook(SECRET, undefined, '{"a":1}', 1_700_000_000), false);
  });

  test('backoff doubles and is capped', () => {
    assert.deepEqual([1, 2, 3, 4, 10].map((n) => backoffMs(n, 30_000, 300_000)), [30_000, 60_000, 120_000, 240_000, 300_000]);
  });
});

for (const dialect of await dialectsUnderTest()) {
  describe(`webhook deliveries on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let receiver: http.Server;
    let url: string;
    const clock = manualClock('2026-03-01T00:00:00.000Z');
    const received: Array<{ valid: boolean; body: WebhookBody; headers: http.IncomingHttpHeaders }> = [];
    let failNext = 0;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      receiver = http.createServer((req, res) => {
        let raw = '';
        req.on('data', (chunk) => (raw += chunk));
        req.on('end', () => {
          const valid = verifyWebhook(SECRET, req.headers['parley-signature'] as string, raw, Math.floor(clock.now().getTime() / 1000));
          received.push({ valid, body: JSON.parse(raw) as WebhookBody, headers: req.headers });
          if (failNext > 0) {
            failNext--;
            return res.writeHead(500).end('try later');
          }
          res.writeHead(valid ? 204 : 401).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    });
    after(async () => {
      await new Promise<void>((resolve) => receiver?.close(() => resolve()));
      await dispose?.();
    });

    const sitesWith = (hookUrl: string) =>
      SiteRegistry.fromFile(
        parseSitesConfig(
          {
            sites: [
              { id: 'news', webhooks: [{ url: hookUrl, secret: SECRET, events: ['comment.created', 'comment.pending'] }] },
              { id: 'quiet' },
            ],
          },
          'test',
        ),
      );

    test('signed delivery; the first attempt fails, the retry waits out the backoff and succeeds', async () => {
      const worker = new WebhookWorker({ store, sites: sitesWith(url), clock, baseBackoffMs: 30_000 });
      failNext = 1;
      received.length = 0;
      const hostile = { author: { name: '<img src=x onerror=alert(1)>' }, body: '"; DROP TABLE comments; --' };
      const [id] = await worker.enqueue('news', 'comment.created', hostile);
      assert.ok(id);
      assert.deepEqual(await worker.enqueue('news', 'comment.deleted', {}), [], 'not subscribed');
      assert.deepEqual(await worker.enqueue('quiet', 'comment.created', {}), [], 'no webhooks');

      assert.equal(await worker.runOnce(), 1);
      assert.equal(received.length, 1);
      assert.equal(received[0]!.valid, true);
      let [row] = await listDeliveries(store.db, 'news');
      assert.deepEqual([row!.status, row!.attempts, row!.last_status, row!.last_error], ['pending', 1, 500, 'HTTP 500']);
      assert.equal(row!.next_attempt_at, '2026-03-01T00:00:30.000Z');

      clock.advance(29_000);
      assert.equal(await worker.runOnce(), 0, 'not due yet');
      clock.advance(1_000);
      assert.equal(await worker.runOnce(), 1);
      assert.equal(received.length, 2);
      assert.equal(received[1]!.valid, true);
      assert.equal(received[1]!.headers['parley-event'], 'comment.created');
      assert.equal(received[1]!.headers['parley-delivery'], id);
      assert.deepEqual(received[1]!.body, { id, event: 'comment.created', site: 'news', createdAt: '2026-03-01T00:00:00.000Z', data: hostile });
      [row] = await listDeliveries(store.db, 'news');
      assert.deepEqual([row!.status, row!.attempts, row!.last_status, row!.last_error], ['delivered', 2, 204, null]);
      assert.equal(await worker.runOnce(), 0, 'delivered once only');
    });

    test('gives up after maxAttempts, with the error in the log', async () => {
      const worker = new WebhookWorker({ store, sites: sitesWith('http://127.0.0.1:1/unreachable'), clock, maxAttempts: 3, baseBackoffMs: 1_000 });
      const [id] = await worker.enqueue('news', 'comment.pending', { n: 1 });
      for (let i = 0; i < 3; i++) {
        assert.equal(await worker.runOnce(), 1);
        clock.advance(10_000);
      }
      assert.equal(await worker.runOnce(), 0);
      const row = (await listDeliveries(store.db, 'news')).find((r) => r.id === id)!;
      assert.equal(row.status, 'failed');
      assert.equal(row.attempts, 3);
      assert.ok(row.last_error);
    });

    test('two workers never send the same delivery twice', async () => {
      const sites = sitesWith(url);
      const one = new WebhookWorker({ store, sites, clock });
      const two = new WebhookWorker({ store, sites, clock });
      received.length = 0;
      for (let i = 0; i < 5; i++) await one.enqueue('news', 'comment.created', { i });
      const [a, b] = await Promise.all([one.runOnce(), two.runOnce()]);
      assert.equal(a + b, 5);
      assert.deepEqual(received.map((r) => (r.body.data as { i: number }).i).sort(), [0, 1, 2, 3, 4]);
    });

    test('the console reads the delivery log (admin only)', async () => {
      const app = createApp({ store, clock, sites: sitesWith(url), config: { adminToken: 'script-token', embedFile: '/nonexistent' }, logError: () => {} });
      assert.equal((await app.request('/api/admin/webhooks/deliveries?site=news')).status, 401);
      const response = await app.request('/api/admin/webhooks/deliveries?site=news', { headers: { authorization: 'Bearer script-token' } });
      assert.equal(response.status, 200);
      const { items } = (await response.json()) as { items: Array<{ status: string; attempts: number; lastError: string | null; url: string }> };
      assert.ok(items.length >= 7);
      assert.ok(items.some((item) => item.status === 'failed' && item.attempts === 3 && item.lastError));
      assert.ok(items.some((item) => item.status === 'delivered' && item.url === url));
    });

    test('start() drives runOnce from the injected timer', async () => {
      let tick: (() => void) | undefined;
      const worker = new WebhookWorker({ store, sites: sitesWith(url), clock, setInterval: (fn) => ((tick = fn), 1), clearInterval: () => (tick = undefined) });
      received.length = 0;
      await worker.enqueue('news', 'comment.pending', { via: 'timer' });
      worker.start(1_000);
      assert.ok(tick);
      tick!();
      await worker.stop();
      assert.equal(received.length, 1);
      assert.equal(tick, undefined);
    });
  });
}

describe('the server runs the delivery loop (real HTTP)', () => {
  const temp = tempDir();
  after(() => temp.remove());

  test('a started server delivers enqueued webhooks by itself, signed', async () => {
    const got: Array<{ valid: boolean; event: string }> = [];
    const receiver = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        got.push({ valid: verifyWebhook(SECRET, req.headers['parley-signature'] as string, raw, Math.floor(Date.now() / 1000)), event: String(req.headers['parley-event']) });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`;
    const sitesFile = path.join(temp.dir, 'sites.json');
    writeFileSync(sitesFile, JSON.stringify({ sites: [{ id: 'news', webhooks: [{ url: hook, secret: SECRET }] }] }));
    const server = await startServer(loadConfig({ PORT: '0', DATABASE_URL: `file:${path.join(temp.dir, 'db.sqlite')}`, PARLEY_CONFIG: sitesFile }), { quiet: true, jobIntervalMs: 50 });
    try {
      // The delivery row is written in the comment's own transaction; the job runner sends it.
      const posted = await fetch(`${server.url}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'news', page: '/a', body: 'Hello hooks' }) });
      assert.equal(posted.status, 201, await posted.text());
      await eventually(async () => got.length, (n) => n > 0, 'the delivery at the receiver', 5_000);
      assert.deepEqual(got, [{ valid: true, event: 'comment.created' }]);
      // The worker records the answer after the receiver has it: wait for that state.
      const row = await eventually(async () => (await listDeliveries(server.store.db, 'news'))[0], (delivery) => delivery?.status === 'delivered', 'the delivery marked delivered', 5_000);
      assert.equal(row.value?.status, 'delivered');
    } finally {
      await server.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  test('a bad PARLEY_CONFIG stops the start, naming the file and key', async () => {
    const sitesFile = path.join(temp.dir, 'bad.json');
    writeFileSync(sitesFile, JSON.stringify({ sites: [{ id: 'news', webhooks: [{ url: 'not a url', secret: SECRET }] }] }));
    await assert.rejects(
      startServer(loadConfig({ PORT: '0', DATABASE_URL: `file:${path.join(temp.dir, 'db2.sqlite')}`, PARLEY_CONFIG: sitesFile }), { quiet: true }),
      /PARLEY_CONFIG .*bad\.json: sites\.0\.webhooks\.0\.url/,
    );
  });
});
