// Benchmark: requests per second and server CPU per request, against a bare-Hono ceiling.
//   pnpm --filter @parley/tests bench:server-speed
// The Parley server and a tiny ceiling server (plain Hono returning the same JSON) each run in a
// CHILD process on 127.0.0.1, so their CPU is read from /proc/PID/stat. autocannon loads each for
// BENCH_SECONDS (default 5): first screen of 20 comments, posting a comment, and the ceiling.
// Last line: JSON summary.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const CLOCK_TICKS_PER_SECOND = 100;
const self = fileURLToPath(import.meta.url);

interface Ready {
  url: string;
  pid: number;
}

async function runServerChild(dir: string): Promise<void> {
  const { loadConfig } = await import('../../packages/server/src/config.ts');
  const { startServer } = await import('../../packages/server/src/server.ts');
  const { openStore } = await import('../../packages/server/src/store/store.ts');
  const { seedThread } = await import('./comments-seed.ts');
  const databaseUrl = `file:${path.join(dir, 'speed.sqlite')}`;
  const store = openStore(databaseUrl);
  await store.migrate();
  await seedThread(store, { site: 'bench', page: '/speed', count: 300, topLevelShare: 0.3 });
  await store.close();
  // Every request comes from one address with one body: lift the per-IP/author/page limits and the
  // duplicate check, which would otherwise (rightly) answer 429/422 and measure the refusal path.
  const sitesFile = path.join(dir, 'sites.json');
  const unlimited = { max: 1_000_000, windowSeconds: 60 };
  writeFileSync(sitesFile, JSON.stringify({
    sites: [{ id: 'bench', origins: ['*'], duplicateWindowSeconds: 0, rateLimits: { perIp: unlimited, perAuthor: unlimited, perPage: unlimited } }],
  }));
  const server = await startServer(loadConfig({ PORT: '0', DATABASE_URL: databaseUrl, PARLEY_SECRET: 'bench', PARLEY_CONFIG: sitesFile }), { quiet: true });
  console.log(JSON.stringify({ url: server.url, pid: process.pid } satisfies Ready));
}

async function runCeilingChild(jsonFile: string): Promise<void> {
  const { Hono } = await import('hono');
  const { serve } = await import('@hono/node-server');
  const json = readFileSync(jsonFile, 'utf8');
  const app = new Hono().get('/api/comments', (c) => c.body(json, 200, { 'Content-Type': 'application/json; charset=UTF-8' }));
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
    console.log(JSON.stringify({ url: `http://127.0.0.1:${info.port}`, pid: process.pid } satisfies Ready));
  });
  void server;
}

function startChild(mode: string, arg: string): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = spawn(process.execPath, ['--import', 'tsx', self, mode, arg], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, ready: JSON.parse(line) as Ready });
    });
    child.once('exit', (code) => reject(new Error(`${mode} child exited with ${code}`)));
  });
}

/** utime + stime of a process, in microseconds. */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "(comm) ", field 3 is state; utime and stime are fields 14 and 15 overall.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / CLOCK_TICKS_PER_SECOND;
}

type Autocannon = (options: Record<string, unknown>) => Promise<{ requests: { average: number; total: number }; non2xx: number; errors: number; timeouts: number; latency: { p50: number; p99: number } }>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

async function load(name: string, pid: number, options: Record<string, unknown>) {
  const before = cpuMicros(pid);
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
  const cpu = cpuMicros(pid) - before;
  const total = result.requests.total;
  return {
    name,
    reqPerSec: Math.round(total / SECONDS),
    total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    serverCpuMicrosPerRequest: total > 0 ? Math.round(cpu / total) : null,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-speed-'));
  const children: ChildProcess[] = [];
  try {
    const parley = await startChild('server', dir);
    children.push(parley.child);
    const readUrl = `${parley.ready.url}/api/comments?site=bench&page=%2Fspeed&limit=20`;
    const json = await (await fetch(readUrl)).text();
    const jsonFile = path.join(dir, 'first-screen.json');
    writeFileSync(jsonFile, json);
    const ceiling = await startChild('ceiling', jsonFile);
    children.push(ceiling.child);

    const read = await load('first screen (GET /api/comments, 20 top-level)', parley.ready.pid, { url: readUrl });
    const bare = await load('ceiling (bare Hono, same JSON)', ceiling.ready.pid, { url: `${ceiling.ready.url}/api/comments` });
    const post = await load('post a comment (POST /api/comments)', parley.ready.pid, {
      url: `${parley.ready.url}/api/comments`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ site: 'bench', page: '/speed-post', author: { name: 'Bench' }, body: 'A *benchmark* comment with a [link](https://news.example/x) and `code`.' }),
    });
    for (const r of [read, bare, post]) console.log(`${r.name}: ${r.reqPerSec} req/s, ${r.serverCpuMicrosPerRequest} µs CPU/req, p50 ${r.latencyP50Ms} ms, non-2xx ${r.non2xx}`);
    const ratio = Math.round((bare.reqPerSec / read.reqPerSec) * 100) / 100;
    console.log(
      JSON.stringify({
        bench: 'server-speed',
        seconds: SECONDS,
        connections: CONNECTIONS,
        responseBytes: Buffer.byteLength(json),
        read,
        ceiling: bare,
        post,
        ceilingOverReadReqPerSec: ratio,
        readOverCeilingCpuPerRequest: bare.serverCpuMicrosPerRequest ? Math.round(((read.serverCpuMicrosPerRequest ?? 0) / bare.serverCpuMicrosPerRequest) * 100) / 100 : null,
        goalRatioAtMost2: ratio <= 2,
      }),
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'server') await runServerChild(arg!);
else if (mode === 'ceiling') await runCeilingChild(arg!);
else await main();
