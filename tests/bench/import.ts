// Benchmark: `parley import-comments` on a generated Disqus export, into SQLite and PostgreSQL.
//   pnpm bench:import                      # 30 MB file (seconds)
//   pnpm bench:import -- --size 1GB        # the big file (minutes); kept in /tmp, removed after
//   pnpm bench:import -- --file X.xml --db sqlite
// Each import runs the real CLI command in its own process, so its peak RSS (maxRSS) is the
// import's alone. Last line: JSON summary.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { writeDisqusExport } from './support/disqus-generator.ts';

const HEAP_MB = Number(process.env.BENCH_HEAP_MB ?? 128);
const PG_ADMIN_URL = process.env.PARLEY_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB)?$/i.exec(text.trim());
  if (!match) throw new Error(`--size wants e.g. 100MB or 1GB, got "${text}"`);
  const unit = (match[2] ?? 'MB').toUpperCase();
  return Math.round(Number(match[1]) * (unit === 'GB' ? 1024 ** 3 : unit === 'MB' ? 1024 ** 2 : 1024));
}

interface Result {
  db: string;
  comments: number;
  seconds: number;
  /** Comments per wall-clock second. */
  perSecond: number;
  cpuSeconds: number;
  /** Comments per second of the importing process's own CPU time (user + system). */
  perCpuSecond: number;
  peakRssMb: number;
}

/** Runs the import in a child (`--worker`) and reads its one-line JSON result. */
function runWorker(file: string, databaseUrl: string, db: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    // A heap cap keeps V8 from growing lazily past what the import needs (it holds < 64 MB live);
    // README recommends the same NODE_OPTIONS for big imports.
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', fileURLToPath(import.meta.url), '--worker', file], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PARLEY_SECRET: 'bench', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 && !last.startsWith('{')) return reject(new Error(`worker for ${db} exited ${code}`));
      resolve({ db, ...(JSON.parse(last) as Omit<Result, 'db'>) });
    });
  });
}

async function worker(file: string): Promise<void> {
  const { runImportComments } = await import('../../packages/server/src/cli/import-comments.ts');
  let imported = 0;
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const code = await runImportComments([file, '--site', 'bench', '--map-url', 'https://old.example.com/=/'], {
    env: process.env,
    out: (line) => {
      const match = /^Imported (\d+) comment/.exec(line);
      if (match) imported = Number(match[1]);
    },
    err: (line) => console.error(line),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  // On a shared machine wall time measures the neighbours too: CPU seconds say what the import costs.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // maxRSS is in kilobytes.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ code, comments: imported, seconds: Math.round(seconds * 10) / 10, perSecond: Math.round(imported / seconds), cpuSeconds: Math.round(cpuSeconds * 10) / 10, perCpuSecond: Math.round(imported / cpuSeconds), peakRssMb }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2).filter((arg) => arg !== '--'), options: { size: { type: 'string', default: '30MB' }, file: { type: 'string' }, db: { type: 'string', default: 'both' }, worker: { type: 'string' } } });
  if (values.worker) return worker(values.worker);
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-import-'));
  try {
    let file = values.file;
    if (!file) {
      file = path.join(dir, 'disqus.xml');
      const started = Date.now();
      const generated = await writeDisqusExport(file, parseSize(values.size));
      console.error(`Generated ${(generated.bytes / 1024 ** 2).toFixed(0)} MB: ${generated.comments} comments in ${generated.threads} threads (${((Date.now() - started) / 1000).toFixed(1)} s) at ${file}`);
    }
    const sizeMb = Math.round(statSync(file).size / 1024 ** 2);
    const results: Result[] = [];
    if (values.db === 'both' || values.db === 'sqlite') {
      results.push(await runWorker(file, `file:${path.join(dir, 'bench.sqlite')}`, 'sqlite'));
      console.error(`SQLite: ${JSON.stringify(results.at(-1))}`);
    }
    if (values.db === 'both' || values.db === 'postgres') {
      // A database of its own, dropped afterwards: the bench never touches other schemas.
      const name = `parley_bench_${Math.random().toString(36).slice(2, 8)}`;
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      try {
        const url = new URL(PG_ADMIN_URL);
        url.pathname = `/${name}`;
        results.push(await runWorker(file, url.href, 'postgres'));
        console.error(`PostgreSQL: ${JSON.stringify(results.at(-1))}`);
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    }
    console.log(JSON.stringify({ fileMb: sizeMb, loadAverage: os.loadavg()[0], results }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
