import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { ErrorBodySchema } from '@parley/schema';
import { createApp } from '../app.ts';
import { dialectsUnderTest, jsonHeaders, skipReason } from '../test/helpers.ts';
import type { Store } from '../store/store.ts';
import { anonymizeIp, createLogger } from './logger.ts';
import { metrics } from './metrics.ts';

/** A pino destination that keeps every line, parsed. */
function captureLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

/** The current value of a series (0 when it has no sample yet). */
async function sample(metric: { get(): Promise<{ values: Array<{ value: number; labels: Record<string, string | number> }> }> }, labels: Record<string, string | number>): Promise<number> {
  const { values } = await metric.get();
  const found = values.find((v) => Object.entries(labels).every(([key, value]) => String(v.labels[key]) === String(value)));
  return found?.value ?? 0;
}

for (const dialect of await dialectsUnderTest()) {
  describe(`metrics, request ids and logs: ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    const logs = captureLogs();
    let app: ReturnType<typeof createApp>;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      app = createApp({ store, config: { adminToken: 'admin-secret', embedFile: '/nonexistent/embed.js', metricsToken: 'scrape-me', secret: 'test' }, logger: logs.logger });
    });
    after(async () => dispose?.());

    test('/metrics wants its token; a request moves its counter and histogram', async () => {
      assert.equal((await app.request('/metrics')).status, 401);
      assert.equal((await app.request('/metrics', { headers: { authorization: 'Bearer wrong-token' } })).status, 401);
      const labels = { method: 'GET', route: '/api/comments', status: 200 };
      const before = await sample(metrics.httpRequests, labels);
      assert.equal((await app.request('/api/comments?page=%2Fmetrics')).status, 200);
      assert.equal(await sample(metrics.httpRequests, labels), before + 1);

      const scrape = await app.request('/metrics', { headers: { authorization: 'Bearer scrape-me' } });
      assert.equal(scrape.status, 200);
      assert.match(scrape.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await scrape.text();
      assert.match(text, new RegExp(`parley_http_requests_total\\{method="GET",route="/api/comments",status="200"\\} ${before + 1}`));
      assert.match(text, /parley_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/comments"\} \d+/);
      for (const name of ['parley_sse_streams_open', 'parley_cache_lookups_total', 'parley_rate_limit_rejections_total', 'parley_notifier_lag_seconds', 'parley_outbox_queue_depth', 'parley_db_pool_connections', 'parley_process_cpu_seconds_total']) {
        assert.ok(text.includes(`# TYPE ${name}`), `${name} is exported`);
      }
      if (dialect.name === 'postgres') assert.match(text, /parley_db_pool_connections\{state="total"\} [1-9]/);
      const unmatched = await app.request('/no/such/route');
      assert.equal(unmatched.status, 404);
      assert.ok((await sample(metrics.httpRequests, { route: 'unmatched', status: 404 })) >= 1, 'unknown paths share one label');
    });

    test('/metrics is off without PARLEY_METRICS_TOKEN', async () => {
      const closed = createApp({ store, config: { adminToken: undefined, embedFile: '/nonexistent/embed.js' }, logger: createLogger({ level: 'silent' }) });
      assert.equal((await closed.request('/metrics')).status, 404);
    });

    test('a repeated thread read is a cache hit', async () => {
      const hits = () => sample(metrics.cacheLookups, { cache: 'thread', result: 'hit' });
      await app.request('/api/comments?page=%2Fcached');
      const before = await hits();
      await app.request('/api/comments?page=%2Fcached');
      assert.equal(await hits(), before + 1);
    });

    test('an open live stream counts until it closes', async () => {
      const before = await metrics.sseStreams.get().then((m) => m.values[0]?.value ?? 0);
      const response = await app.request('/api/stream?page=%2Flive');
      assert.equal(response.status, 200);
      const reader = response.body!.getReader();
      try {
        await reader.read(); // ": connected": the stream is open
        assert.equal((await metrics.sseStreams.get()).values[0]?.value, before + 1);
      } finally {
        await reader.cancel();
      }
      for (let tries = 0; (await metrics.sseStreams.get()).values[0]?.value !== before; tries += 1) {
        assert.ok(tries < 500, 'the gauge comes back down after the stream closes');
        await new Promise((resolve) => setImmediate(resolve));
      }
    });

    test('every answer has an X-Request-Id; a sane incoming one is kept; error bodies carry it', async () => {
      const fresh = await app.request('/healthz');
      assert.match(fresh.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      await app.request('/api/comments?page=%2Fids');
      const cachedRead = await app.request('/api/comments?page=%2Fids');
      assert.match(cachedRead.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, 'the cached fast path too');
      const kept = await app.request('/healthz', { headers: { 'x-request-id': 'edge-42.a' } });
      assert.equal(kept.headers.get('x-request-id'), 'edge-42.a');
      const replaced = await app.request('/healthz', { headers: { 'x-request-id': 'x'.repeat(300) } });
      assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);

      const invalid = await app.request('/api/comments', { method: 'POST', headers: { ...jsonHeaders, 'x-request-id': 'trace-7' }, body: '{}' });
      assert.equal(invalid.status, 400);
      assert.equal(ErrorBodySchema.parse(await invalid.json()).error.requestId, 'trace-7');
      const missing = await app.request('/nowhere');
      assert.equal(ErrorBodySchema.parse(await missing.json()).error.requestId, missing.headers.get('x-request-id'));
    });

    test('one JSON log line per request: route, status, no query string, no full address', async () => {
      const at = logs.lines.length;
      await app.request('/api/privacy/confirm?token=very-secret-token', { headers: { 'x-request-id': 'log-line-1' } });
      const line = logs.lines.slice(at).find((entry) => entry.reqId === 'log-line-1');
      assert.ok(line, 'the request was logged');
      assert.equal(line.msg, 'request');
      assert.equal(line.level, 'info');
      assert.equal(line.path, '/api/privacy/confirm');
      assert.equal(line.route, '/api/privacy/confirm');
      assert.equal(typeof line.status, 'number');
      assert.ok(!JSON.stringify(logs.lines).includes('very-secret-token'), 'the token in the query is not logged');
    });
  });
}

describe('log hygiene', () => {
  test('addresses are cut to their network', () => {
    assert.equal(anonymizeIp('203.0.113.77'), '203.0.113.0');
    assert.equal(anonymizeIp('::ffff:198.51.100.9'), '198.51.100.0');
    assert.equal(anonymizeIp('2001:db8:85a3:8d3:1319:8a2e:370:7348'), '2001:db8:85a3::');
    assert.equal(anonymizeIp('2001:db8::1'), '2001:db8::');
    assert.equal(anonymizeIp('garbage'), 'unknown');
  });

  test('secrets are censored wherever they appear in a logged object', () => {
    const { lines, logger } = captureLogs();
    logger.info({ password: 'hunter2', admin: { token: 't0ken', email: 'a@b.example' }, authorization: 'Bearer x' }, 'careless');
    const text = JSON.stringify(lines);
    for (const secret of ['hunter2', 't0ken', 'a@b.example', 'Bearer x']) assert.ok(!text.includes(secret), secret);
  });

  test('unexpected errors go to the logger with the request id', async () => {
    const { lines, logger } = captureLogs();
    const broken = { db: {}, dialect: 'sqlite', migrate: async () => ({}), transaction: async () => { throw new Error('disk on fire'); }, ping: async () => { throw new Error('disk on fire'); }, close: async () => {} } as unknown as Store;
    const app = createApp({ store: broken, config: { adminToken: undefined, embedFile: '/nonexistent/embed.js' }, logger });
    const response = await app.request('/healthz', { headers: { 'x-request-id': 'boom-1' } });
    assert.equal(response.status, 500);
    assert.equal(ErrorBodySchema.parse(await response.json()).error.requestId, 'boom-1');
    const error = lines.find((line) => line.level === 'error');
    assert.ok(error, 'logged at level error');
    assert.match(String(error.msg), /request boom-1/);
    assert.match(JSON.stringify(error.err), /disk on fire/);
  });
});
