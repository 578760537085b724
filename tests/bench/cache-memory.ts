// Benchmark: server RSS after many distinct query strings (first-page cache bounded by bytes).
//   pnpm --filter @parley/tests bench:cache-memory
// The server runs in a CHILD process on 127.0.0.1 (SQLite); its RSS is read from /proc/PID/status.
// The parent sends QUERIES (default 50,000) distinct `GET /api/comments` query strings over
// CONNECTIONS (default 8) keep-alive connections: a fifth of them name distinct pages, the rest are
// aliases of those (`+` vs `%20`, parameter order, extra limits). Last line: JSON summary.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const QUERIES = Number(process.env.QUERIES ?? 50_000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 8);
// RSS is read before and after, and once more after a full GC in the server (garbage not yet collected is not held memory).
const self = fileURLToPath(import.meta.url);

async function runServerChild(dir: string): Promise<void> {
  const { loadConfig } = await import('../../packages/server/src/config.ts');
  const { startServer } = await import('../../packages/server/src/server.ts');
  const server = await startServer(loadConfig({ PORT: '0', DATABASE_URL: `file:${path.join(dir, 'cache.sqlite')}`, PARLEY_SECRET: 'bench' }), { quiet: true });
  console.log(JSON.stringify({ url: server.url, pid: process.pid }));
  // The parent asks for a full GC before its last reading: RSS then shows what is still held.
  process.on('message', () => {
    (globalThis as { gc?: () => void }).gc?.();
    process.send!(process.memoryUsage());
  });
}

function startChild(dir: string): Promise<{ child: ChildProcess; url: string; pid: number }> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', self, 'server', dir], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env: { ...process.env, NO_COLOR: '1' } });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, ...(JSON.parse(line) as { url: string; pid: number }) });
    });
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
}

/** A full GC in the server; answers its memory usage right after. */
function collect(child: ChildProcess): Promise<NodeJS.MemoryUsage> {
  return new Promise((resolve) => {
    child.once('message', (usage) => resolve(usage as NodeJS.MemoryUsage));
    child.send('gc');
  });
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match![1]) / 102.4) / 10;
}

/** The n-th distinct query string: pages with a space in their name, and aliases of them. */
function query(n: number): string {
  const page = Math.floor(n / 5);
  const name = `/story ${page}`;
  switch (n % 5) {
    case 0:
      return `page=${encodeURIComponent(name)}`;
    case 1:
      return `page=${encodeURIComponent(name).replace('%20', '+')}`;
    case 2:
      return `limit=20&page=${encodeURIComponent(name)}`;
    case 3:
      return `page=${encodeURIComponent(name)}&limit=20`;
    default:
      return `page=${encodeURIComponent(name)}&sort=oldest`;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-cache-'));
  let child: ChildProcess | undefined;
  try {
    const server = await startChild(dir);
    child = server.child;
    for (let i = 0; i < 200; i++) await (await fetch(`${server.url}/api/comments?page=/warm${i}`)).arrayBuffer();
    const heapBefore = await collect(server.child);
    const before = rssMb(server.pid);
    let next = 0;
    let errors = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < QUERIES) {
          const response = await fetch(`${server.url}/api/comments?${query(next++)}`);
          if (response.status !== 200) errors++;
          await response.arrayBuffer();
        }
      }),
    );
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const after = rssMb(server.pid);
    const heapAfter = await collect(server.child);
    const afterGc = rssMb(server.pid);
    const growth = Math.round((afterGc - before) * 10) / 10;
    const mb = (bytes: number) => Math.round(bytes / 104857.6) / 10;
    const heapGrowthMb = mb(heapAfter.heapUsed - heapBefore.heapUsed);
    // Where RSS growth sits: V8's heap (used vs reserved), memory outside it (external, ArrayBuffers), or neither (native/allocator).
    const breakdown = Object.fromEntries((['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'] as const).map((k) => [k, `${mb(heapBefore[k])} -> ${mb(heapAfter[k])}`]));
    console.error('memoryUsage (MB, after a full GC):', JSON.stringify(breakdown));
    const summary = { bench: 'cache-memory', queries: QUERIES, seconds, non200: errors, rssBeforeMb: before, rssAfterMb: after, rssAfterGcMb: afterGc, rssGrowthAfterGcMb: growth, heapUsedGrowthAfterGcMb: heapGrowthMb, goalUnder50Mb: growth < 50 };
    console.log(`RSS ${before} MB -> ${after} MB after ${QUERIES} distinct query strings, ${afterGc} MB after a full GC; JS heap in use +${heapGrowthMb} MB (${seconds} s, ${errors} non-200)`);
    console.log(JSON.stringify(summary));
    if (!summary.goalUnder50Mb) process.exitCode = 1;
  } finally {
    child?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'server') await runServerChild(process.argv[3]!);
else await main();
