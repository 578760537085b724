// Benchmark: the first screen of a 10,000-comment thread.
//   pnpm --filter @parley/tests bench:big-thread
// Seeds a temp SQLite through the store, starts the real server on 127.0.0.1, times the first
// `GET /api/comments` (cold, then warm) and reports its size raw and gzip. Last line: JSON summary.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadConfig } from '../../packages/server/src/config.ts';
import { startServer } from '../../packages/server/src/server.ts';
import { openStore } from '../../packages/server/src/store/store.ts';
import { seedThread } from './comments-seed.ts';

const COUNT = Number(process.env.BENCH_COMMENTS ?? 10_000);
const WARM_RUNS = 30;

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; bytes: number; encoding: string | undefined; ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, bytes, encoding: response.headers['content-encoding'], ms: Number(process.hrtime.bigint() - started) / 1e6 }),
        );
      })
      .on('error', reject);
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-'));
try {
  const databaseUrl = `file:${path.join(dir, 'bench.sqlite')}`;
  const seedStore = openStore(databaseUrl);
  await seedStore.migrate();
  const seedStarted = Date.now();
  const { topLevel } = await seedThread(seedStore, { site: 'bench', page: '/big', count: COUNT });
  const seedMs = Date.now() - seedStarted;
  await seedStore.close();
  console.log(`seeded ${COUNT} comments (${topLevel} top-level) in ${seedMs} ms`);

  const server = await startServer(loadConfig({ PORT: '0', DATABASE_URL: databaseUrl, PARLEY_SECRET: 'bench' }), { quiet: true });
  try {
    const url = `${server.url}/api/comments?site=bench&page=%2Fbig`;
    const cold = await get(url);
    if (cold.status !== 200) throw new Error(`GET answered ${cold.status}`);
    const warm: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) warm.push((await get(url)).ms);
    warm.sort((a, b) => a - b);
    const gzipped = await get(url, { 'accept-encoding': 'gzip' });
    const text = await (await fetch(url)).text();
    const parsed = JSON.parse(text) as { total: number; comments: Array<{ replyCount: number }> };
    const sortTop = await get(`${server.url}/api/comments?site=bench&page=%2Fbig&sort=top`);
    const summary = {
      bench: 'comments-big-thread',
      comments: COUNT,
      topLevel,
      total: parsed.total,
      firstScreenTopLevel: parsed.comments.length,
      coldMs: Math.round(cold.ms * 10) / 10,
      warmMedianMs: Math.round(warm[Math.floor(warm.length / 2)]! * 100) / 100,
      warmP95Ms: Math.round(warm[Math.floor(warm.length * 0.95)]! * 100) / 100,
      coldSortTopMs: Math.round(sortTop.ms * 10) / 10,
      rawBytes: cold.bytes,
      gzipBytes: gzipped.encoding === 'gzip' ? gzipped.bytes : null,
      gzipBytesZlibDefault: gzipSync(text).length,
      goalGzipUnder50kB: (gzipped.encoding === 'gzip' ? gzipped.bytes : Infinity) < 50_000,
    };
    console.log(JSON.stringify(summary));
  } finally {
    await server.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
