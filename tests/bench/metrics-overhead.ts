// Benchmark: the CPU the request-context middleware (request id, Prometheus counters and
// histogram; access log at its production default) adds to the cached first-screen read.
//   pnpm --filter @parley/tests exec tsx bench/metrics-overhead.ts
// In-process (app.request), interleaved rounds, medians, so other load on the machine hits
// every variant alike:
//   read    — the full app answering GET /api/comments for a seeded page (cache hit)
//   bare    — a bare Hono app answering the same bytes
//   context — that bare app behind requestContext()
// Overhead = context − bare; the share is that over `read`. Last line: JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import path from 'node:path';
import { Hono } from 'hono';
import { createApp } from '../../packages/server/src/app.ts';
import { createLogger } from '../../packages/server/src/observability/logger.ts';
import { createMetrics } from '../../packages/server/src/observability/metrics.ts';
import { requestContext } from '../../packages/server/src/observability/request-context.ts';
import { openStore } from '../../packages/server/src/store/store.ts';
import { seedThread } from './comments-seed.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
// Log lines are formatted but go nowhere: the cost of logging without the terminal's.
const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
const logger = createLogger({ level: process.env.BENCH_LOG_LEVEL === 'info' ? 'info' : 'silent', destination: sink });

const dir = mkdtempSync(path.join(tmpdir(), 'parley-metrics-bench-'));
const store = openStore(`file:${path.join(dir, 'bench.sqlite')}`);
await store.migrate();
await seedThread(store, { site: 'default', page: '/bench', count: 200 });
const app = createApp({ store, config: { adminToken: undefined, embedFile: '/nonexistent.js', secret: 'bench' }, logger });
const url = '/api/comments?page=%2Fbench';
const body = new Uint8Array(await (await app.request(url)).arrayBuffer());
const answer = (c: import('hono').Context) => c.body(body, 200, { 'content-type': 'application/json' });
const bare = new Hono().get('/api/comments', answer);
const context = new Hono().use(requestContext({ logger, metrics: createMetrics() })).get('/api/comments', answer);

async function round(fetcher: { request: (url: string) => Response | Promise<Response> }): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < REQUESTS; i += 1) await (await fetcher.request(url)).arrayBuffer();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / REQUESTS;
}

const samples = { read: [] as number[], bare: [] as number[], context: [] as number[] };
for (let r = 0; r < ROUNDS; r += 1) {
  samples.read.push(await round(app));
  samples.bare.push(await round(bare));
  samples.context.push(await round(context));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const read = median(samples.read);
const overhead = median(samples.context) - median(samples.bare);
const round1 = (n: number) => Math.round(n * 10) / 10;
console.log(`read ${round1(read)} µs CPU/request; middleware adds ${round1(overhead)} µs (${round1((overhead / read) * 100)}%)`);
console.log(JSON.stringify({ bench: 'metrics-overhead', requests: REQUESTS, rounds: ROUNDS, readMicros: round1(read), bareMicros: round1(median(samples.bare)), contextMicros: round1(median(samples.context)), overheadPercent: round1((overhead / read) * 100) }));
await store.close();
rmSync(dir, { recursive: true, force: true });
