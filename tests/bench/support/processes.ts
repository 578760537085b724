// Shared by the server benchmarks: real server processes (the compiled dist/main.js, as production
// runs it, or src/main.ts under tsx), fresh PostgreSQL schemas, and CPU/RSS read from /proc.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import pg from 'pg';

const SERVER_ROOT = fileURLToPath(new URL('../../../packages/server/', import.meta.url));
const CLOCK_TICKS_PER_SECOND = 100;

export const PG_URL = process.env.PARLEY_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** BENCH_SERVER=source runs src/main.ts through tsx; by default the compiled server runs. */
export const FROM_SOURCE = process.env.BENCH_SERVER === 'source';
export const SERVER_KIND = FROM_SOURCE ? 'source (tsx src/main.ts)' : 'compiled (node dist/main.js)';

/** Builds packages/server/dist once per benchmark run (esbuild, about a second). */
export function buildServer(): void {
  if (!FROM_SOURCE) execFileSync(process.execPath, [path.join(SERVER_ROOT, 'scripts', 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export interface ServerProcess {
  name: string;
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** One server process configured by environment only, exactly as an operator starts it. */
export function startServerProcess(name: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<ServerProcess> {
  return startProcess(name, FROM_SOURCE ? [...nodeFlags, '--import', 'tsx', 'src/main.ts'] : [...nodeFlags, 'dist/main.js'], env);
}

/** Any Node process (run in packages/server) that prints "Parley listening on URL" when ready. */
export function startProcess(name: string, args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    cwd: SERVER_ROOT,
    env: { ...process.env, NO_COLOR: '1', HOST: '127.0.0.1', PORT: '0', PARLEY_EMBED_FILE: '/nonexistent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Parley listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        const url = match[1]!;
        resolve({
          name,
          url,
          port: Number(new URL(url).port),
          pid: child.pid!,
          child,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before listening:\n${output}`)));
  });
}

/** A fresh schema for one run; `drop` removes it. */
export async function freshSchema(prefix = 'parley_bench'): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `${prefix}_${Math.random().toString(36).slice(2, 10)}`;
  await withPg((client) => client.query(`create schema ${schema}`));
  return { schema, drop: () => withPg((client) => client.query(`drop schema if exists ${schema} cascade`)).then(() => undefined) };
}

export async function withPg<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL, application_name: 'parley-bench-driver' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The server's database URL with an application_name, so its PostgreSQL backends (pool and
 * LISTEN connection) can be told apart from everyone else's in pg_stat_activity.
 */
export function taggedPgUrl(tag: string): string {
  const url = new URL(PG_URL);
  url.searchParams.set('application_name', tag);
  return url.toString();
}

/** utime + stime of one process (all its threads), in microseconds; 0 if it has gone. */
export function cpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "(comm) " field 3 (state) is index 0: utime and stime (fields 14, 15) are 11, 12.
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

export function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round((Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)![1]) / 1024) * 10) / 10;
}

/** PIDs of the PostgreSQL backends serving connections tagged `application_name = tag`. */
export async function backendPids(tag: string): Promise<number[]> {
  return withPg(async (client) => (await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [tag])).rows.map((row) => row.pid));
}

/** Every `postgres` process on the machine (backends of other users included, and the WAL writer etc.). */
export function allPostgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}

/**
 * CPU spent between `start()` and `stop()` by the given Node processes and by PostgreSQL:
 * `pgOurs` sums the backends tagged with our application_names (looked up at both ends, so a
 * backend the pool opened during the run counts whole; one that exited during the run is lost,
 * which a warm-up that fills the pool first avoids), `pgAll` every postgres process (an upper
 * bound on a shared machine: other users' queries are in it).
 */
export async function cpuMeter(nodePids: number[], tags: string[]): Promise<{ stop(): Promise<{ nodeMicros: number; pgOursMicros: number; pgAllMicros: number }> }> {
  const oursNow = async () => (await Promise.all(tags.map(backendPids))).flat();
  const sum = (pids: number[], snapshot: Map<number, number>) => pids.reduce((total, pid) => total + (cpuMicros(pid) - (snapshot.get(pid) ?? 0)), 0);
  const snapshotOf = (pids: number[]) => new Map(pids.map((pid) => [pid, cpuMicros(pid)]));
  const nodeBefore = snapshotOf(nodePids);
  const oursBefore = snapshotOf(tags.length ? await oursNow() : []);
  const allBefore = snapshotOf(allPostgresPids());
  return {
    async stop() {
      const ours = tags.length ? await oursNow() : [];
      return { nodeMicros: sum(nodePids, nodeBefore), pgOursMicros: sum(ours, oursBefore), pgAllMicros: sum(allPostgresPids(), allBefore) };
    },
  };
}

export interface LoadResult {
  requests: { total: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number };
}
export const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>) => Promise<LoadResult>;

/** The machine's 1-minute load average, printed next to every figure (the machine is shared). */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

export const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A comment body that differs per request, so no duplicate check could bite even if enabled. */
export const BENCH_COMMENT = 'A *benchmark* comment with a [link](https://news.example/x) and `code`.';

/** A sites file that lifts the rate limits and the duplicate check: every request is one address, one body. */
export function unlimitedSite(id: string): unknown {
  const unlimited = { max: 1_000_000_000, windowSeconds: 60 };
  return { sites: [{ id, origins: ['*'], minFillSeconds: 0, duplicateWindowSeconds: 0, rateLimits: { perIp: unlimited, perAuthor: unlimited, perPage: unlimited } }] };
}

export function printTable(rows: Array<Record<string, string | number | null | undefined>>): void {
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  console.log(line(columns));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(columns.map((column) => String(row[column] ?? ''))));
}
