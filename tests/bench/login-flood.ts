// Benchmark: latency of a cached comment read while 50 anonymous logins flood the server.
//   pnpm --filter @parley/tests bench:login-flood
// The server runs in a CHILD process on 127.0.0.1 (PARLEY_TRUST_PROXY=true, so each flooding request
// can claim its own address, as a botnet's would). The parent measures sequential
// `GET /api/comments` reads (first-page cache hits) idle, then during FLOOD_LOGINS (default 50)
// concurrent logins with random emails, until every login has answered. Last line: JSON summary.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LOGINS = Number(process.env.FLOOD_LOGINS ?? 50);
const IDLE_READS = 200;
const self = fileURLToPath(import.meta.url);

async function runServerChild(dir: string): Promise<void> {
  const { loadConfig } = await import('../../packages/server/src/config.ts');
  const { startServer } = await import('../../packages/server/src/server.ts');
  const server = await startServer(
    loadConfig({ PORT: '0', DATABASE_URL: `file:${path.join(dir, 'flood.sqlite')}`, PARLEY_SECRET: 'bench', PARLEY_TRUST_PROXY: 'true' }),
    { quiet: true },
  );
  console.log(JSON.stringify({ url: server.url }));
}

function startChild(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', self, 'server', dir], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-flood-'));
  let child: ChildProcess | undefined;
  try {
    const server = await startChild(dir);
    child = server.child;
    const headers = { 'content-type': 'application/json' };
    await fetch(`${server.url}/api/comments`, { method: 'POST', headers, body: JSON.stringify({ page: '/flood', body: 'hello' }) });
    const read = async () => {
      const started = performance.now();
      const response = await fetch(`${server.url}/api/comments?page=/flood`);
      await response.arrayBuffer();
      return performance.now() - started;
    };
    const idle: number[] = [];
    for (let i = 0; i < IDLE_READS; i++) idle.push(await read());

    let flooding = true;
    const during: number[] = [];
    const reader = (async () => {
      while (flooding) during.push(await read());
    })();
    const started = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: LOGINS }, async (_, n) => {
        const response = await fetch(`${server.url}/api/admin/login`, {
          method: 'POST',
          headers: { ...headers, 'x-forwarded-for': `198.51.100.${(n % 250) + 1}` },
          body: JSON.stringify({ email: `${Math.random().toString(36).slice(2)}@flood.example`, password: 'not-the-password' }),
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    const floodMs = Math.round(performance.now() - started);
    flooding = false;
    await reader;
    const count = (status: number) => statuses.filter((s) => s === status).length;
    const summary = {
      bench: 'login-flood',
      logins: LOGINS,
      answered401: count(401),
      answered429: count(429),
      floodMs,
      idleReadP50Ms: percentile(idle, 50),
      idleReadP99Ms: percentile(idle, 99),
      readsDuringFlood: during.length,
      floodReadP50Ms: percentile(during, 50),
      floodReadP99Ms: percentile(during, 99),
      floodReadMaxMs: percentile(during, 100),
      goalP99Under50Ms: percentile(during, 99) < 50,
    };
    console.log(`cached read idle p99 ${summary.idleReadP99Ms} ms; during ${LOGINS} logins (${summary.answered401}×401, ${summary.answered429}×429): p50 ${summary.floodReadP50Ms} ms, p99 ${summary.floodReadP99Ms} ms over ${during.length} reads`);
    console.log(JSON.stringify(summary));
  } finally {
    child?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'server') await runServerChild(process.argv[3]!);
else await main();
