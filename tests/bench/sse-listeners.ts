// Benchmark: 1,000 Server-Sent-Events listeners on one server instance.
//   pnpm --filter @parley/tests bench:sse-listeners
// The server runs in a CHILD process on 127.0.0.1 (its RSS read from /proc/PID/status). This
// process opens BENCH_LISTENERS (default 1000) streams on one page, reads the server's RSS, posts
// one comment and times until every listener has its `comment.created` event. Last line: JSON summary.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LISTENERS = Number(process.env.BENCH_LISTENERS ?? 1000);
const BATCH = 100;
const TIMEOUT_MS = 30_000;
const self = fileURLToPath(import.meta.url);
const FROM_SOURCE = process.env.BENCH_SERVER === 'source';

async function runServerChild(dir: string): Promise<void> {
  const { loadConfig } = await import('../../packages/server/src/config.ts');
  const { startServer } = await import('../../packages/server/src/server.ts');
  const server = await startServer(loadConfig({ PORT: '0', DATABASE_URL: `file:${path.join(dir, 'sse.sqlite')}`, PARLEY_SECRET: 'bench' }), { quiet: true });
  console.log(JSON.stringify({ url: server.url, port: server.port, pid: process.pid }));
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)![1]) * 1024;
}

interface Listener {
  request: http.ClientRequest;
  opened: Promise<void>;
  gotEvent: Promise<number>;
}

function listen(port: number): Listener {
  let markOpen!: () => void;
  let markEvent!: (at: number) => void;
  let fail!: (error: Error) => void;
  const opened = new Promise<void>((resolve, reject) => {
    markOpen = resolve;
    fail = reject;
  });
  const gotEvent = new Promise<number>((resolve) => (markEvent = resolve));
  const request = http.get({ host: '127.0.0.1', port, path: '/api/stream?site=bench&page=%2Flive', agent: false, headers: { accept: 'text/event-stream' } }, (response) => {
    if (response.statusCode !== 200) fail(new Error(`stream answered ${response.statusCode}`));
    let buffer = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.includes(': connected')) markOpen();
      if (buffer.includes('event: comment.created')) markEvent(performance.now());
      if (buffer.length > 4096) buffer = buffer.slice(-256);
    });
  });
  request.on('error', (error) => fail(error));
  return { request, opened, gotEvent };
}

function startChild(dir: string): Promise<{ child: ChildProcess; url: string; port: number; pid: number }> {
  // BENCH_SERVER_NODE_FLAGS: e.g. `--max-semi-space-size=4` to see how much of the RSS is V8's young generation.
  const flags = (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  // By default the compiled server runs, as in production (`pnpm --filter @parley/server start`);
  // BENCH_SERVER=source runs the TypeScript sources through tsx instead (about 60 MB more RSS).
  const args = FROM_SOURCE
    ? [...flags, '--import', 'tsx', self, 'server', dir]
    : [...flags, path.join(path.dirname(self), 'support', 'serve-built.mjs'), dir];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, ...(JSON.parse(line) as { url: string; port: number; pid: number }) });
    });
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), TIMEOUT_MS).unref())]);
}

async function main(): Promise<void> {
  if (!FROM_SOURCE) execFileSync(process.execPath, [fileURLToPath(new URL('../../packages/server/scripts/build.mjs', import.meta.url))], { stdio: 'inherit' });
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-sse-'));
  let server: Awaited<ReturnType<typeof startChild>> | undefined;
  const listeners: Listener[] = [];
  try {
    server = await startChild(dir);
    // Warm the page's channel and the code paths once.
    await fetch(`${server.url}/api/comments?site=bench&page=%2Flive`);
    const rssIdle = rssBytes(server.pid);
    const connectStarted = performance.now();
    for (let i = 0; i < LISTENERS; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, LISTENERS - i) }, () => listen(server!.port));
      listeners.push(...batch);
      await withTimeout(Promise.all(batch.map((l) => l.opened)), 'listeners connecting');
    }
    const connectMs = performance.now() - connectStarted;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rssConnected = rssBytes(server.pid);

    // One comment on another page first, so the timed one measures fan-out, not first-call warm-up.
    await fetch(`${server.url}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'bench', page: '/warm-up', body: 'warm-up' }) });
    await new Promise((resolve) => setTimeout(resolve, 200));

    const postedAt = performance.now();
    const response = await fetch(`${server.url}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ site: 'bench', page: '/live', body: 'Hello, *everyone*.' }),
    });
    const postResponseMs = performance.now() - postedAt;
    if (response.status !== 201) throw new Error(`post answered ${response.status}`);
    const arrivals = await withTimeout(Promise.all(listeners.map((l) => l.gotEvent)), 'event fan-out');
    const times = arrivals.map((t) => t - postedAt).sort((a, b) => a - b);
    const rssAfter = rssBytes(server.pid);
    const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
    console.log(
      JSON.stringify({
        bench: 'sse-listeners',
        listeners: LISTENERS,
        server: FROM_SOURCE ? 'source (tsx)' : 'compiled (node dist/)',
        serverNodeFlags: process.env.BENCH_SERVER_NODE_FLAGS ?? '',
        connectAllMs: Math.round(connectMs),
        serverRssIdleMB: mb(rssIdle),
        serverRssConnectedMB: mb(rssConnected),
        serverRssAfterEventMB: mb(rssAfter),
        goalRssUnder150MB: rssConnected < 150 * 1024 * 1024,
        postResponseMs: Math.round(postResponseMs * 10) / 10,
        postToFirstListenerMs: Math.round(times[0]! * 10) / 10,
        postToMedianListenerMs: Math.round(times[Math.floor(times.length / 2)]! * 10) / 10,
        postToAllListenersMs: Math.round(times[times.length - 1]! * 10) / 10,
      }),
    );
  } finally {
    for (const listener of listeners) listener.request.destroy();
    server?.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'server') await runServerChild(arg!);
else await main();
