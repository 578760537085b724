// Benchmark: server CPU per request for the cached read and for posting, each against a reference
// measured in the same run.
//   pnpm --filter @parley/tests bench:server-speed            (BENCH_SECONDS=5 per phase)
// Every server is a real process (by default the compiled `node dist/main.js`; BENCH_SERVER=source
// runs src/main.ts through tsx) on 127.0.0.1; CPU is utime+stime from /proc/PID/stat.
//  - read: GET the first screen (20 comments of a 300-comment thread, served from the first-page
//    cache) at BENCH_READ_CONNECTIONS (50), against a bare Hono app sending the same bytes at 50.
//    Goal: Parley's CPU/request ≤ 1.5 × the bare app's.
//  - write: POST a comment through the whole gate (validation, limits, markdown, lifecycle, event,
//    NOTIFY on PostgreSQL) at BENCH_WRITE_CONNECTIONS (10), on SQLite and on PostgreSQL; afterwards
//    the rows are counted and must equal the 2xx answers. On PostgreSQL the CPU is the Node process
//    plus the PostgreSQL backends serving it (found by application_name in pg_stat_activity, CPU
//    from /proc); the sum over every `postgres` process is printed too (an upper bound on a shared
//    machine). Goals: ≤ 1,500 µs on SQLite, ≤ 2,500 µs on PostgreSQL.
// BENCH_CPU_PROF=DIR writes a V8 CPU profile of each Parley process to DIR (see bench/support/profile-summary.ts).
// Prints a table, then one JSON line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../packages/server/src/store/store.ts';
import { seedThread } from './comments-seed.ts';
import {
  BENCH_COMMENT, PG_URL, SERVER_KIND, autocannon, buildServer, cpuMeter, freshSchema, loadAverage, printTable, round,
  startProcess, startServerProcess, taggedPgUrl, unlimitedSite, type ServerProcess,
} from './support/processes.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const READ_CONNECTIONS = Number(process.env.BENCH_READ_CONNECTIONS ?? 50);
const WRITE_CONNECTIONS = Number(process.env.BENCH_WRITE_CONNECTIONS ?? 10);
/** Warm-up by count, not time (JIT, statement caches, a full pool), so a loaded machine still warms up. */
const WARM_UP_PER_CONNECTION = Number(process.env.BENCH_WARM_UP_PER_CONNECTION ?? 10);
const PROFILE_DIR = process.env.BENCH_CPU_PROF;
const SITE = 'bench';
const READ_PAGE = '/speed';
const profileFlags = (name: string) => (PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : []);

interface Phase {
  phase: string;
  server: string;
  connections: number;
  reqPerSec: number;
  total: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  nodeCpuMicros: number;
  pgCpuMicros: number | null;
  cpuMicrosPerRequest: number;
  pgAllCpuMicrosPerRequest: number | null;
  stored?: number;
  loadAverage: number;
}

async function measure(phase: string, server: ServerProcess, tags: string[], options: Record<string, unknown>): Promise<Phase & { ok: number }> {
  const meter = await cpuMeter([server.pid], tags);
  const result = await autocannon({ duration: SECONDS, ...options });
  const cpu = await meter.stop();
  const total = result.requests.total;
  const pg = tags.length ? cpu.pgOursMicros : null;
  return {
    phase,
    server: server.name,
    connections: options.connections as number,
    reqPerSec: Math.round(total / SECONDS),
    total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    nodeCpuMicros: Math.round(cpu.nodeMicros),
    pgCpuMicros: pg === null ? null : Math.round(pg),
    cpuMicrosPerRequest: total ? Math.round((cpu.nodeMicros + (pg ?? 0)) / total) : 0,
    pgAllCpuMicrosPerRequest: tags.length && total ? Math.round((cpu.nodeMicros + cpu.pgAllMicros) / total) : null,
    loadAverage: loadAverage(),
  };
}

/** POSTs for SECONDS, then counts the rows on that page: every 2xx must be stored. */
async function writePhase(phase: string, server: ServerProcess, tags: string[], countRows: (page: string) => Promise<number>): Promise<Phase> {
  const post = (page: string, connections: number) => ({
    url: `${server.url}/api/comments`,
    connections,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ site: SITE, page, author: { name: 'Bench' }, body: BENCH_COMMENT }),
  });
  // Warm-up on another page: JIT, prepared statements, a full PostgreSQL pool.
  await autocannon({ ...post('/warm-up', WRITE_CONNECTIONS), amount: WRITE_CONNECTIONS * WARM_UP_PER_CONNECTION });
  const result = await measure(phase, server, tags, post('/speed-post', WRITE_CONNECTIONS));
  const stored = await countRows('/speed-post');
  // autocannon drops the requests still in flight when time is up; the server may store those.
  if (stored < result.ok || stored > result.ok + WRITE_CONNECTIONS) throw new Error(`${phase}: ${result.ok} posts answered 2xx but ${stored} rows are stored`);
  return { ...result, stored };
}

async function countWith(url: string, pgSchema?: string): Promise<(page: string) => Promise<number>> {
  return async (page) => {
    const store = openStore(url, pgSchema ? { pgSchema } : {});
    try {
      const row = await store.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('site', '=', SITE).where('page', '=', page).executeTakeFirstOrThrow();
      return Number(row.n);
    } finally {
      await store.close();
    }
  };
}

async function main(): Promise<void> {
  buildServer();
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-speed-'));
  const processes: ServerProcess[] = [];
  const schema = await freshSchema();
  const phases: Phase[] = [];
  let responseBytes = 0;
  try {
    const sitesFile = path.join(dir, 'sites.json');
    writeFileSync(sitesFile, JSON.stringify(unlimitedSite(SITE)));
    const common = { PARLEY_SECRET: 'bench', PARLEY_CONFIG: sitesFile };

    // SQLite: seed a thread, then the read phases and the write phase.
    const sqliteUrl = `file:${path.join(dir, 'speed.sqlite')}`;
    const seedStore = openStore(sqliteUrl);
    await seedStore.migrate();
    await seedThread(seedStore, { site: SITE, page: READ_PAGE, count: 300, topLevelShare: 0.3 });
    await seedStore.close();
    const sqlite = await startServerProcess('parley sqlite', { ...common, DATABASE_URL: sqliteUrl }, profileFlags('sqlite-read'));
    processes.push(sqlite);
    const readUrl = `${sqlite.url}/api/comments?site=${SITE}&page=${encodeURIComponent(READ_PAGE)}&limit=20`;
    const body = await (await fetch(readUrl)).text();
    responseBytes = Buffer.byteLength(body);
    const bodyFile = path.join(dir, 'first-screen.json');
    writeFileSync(bodyFile, body);
    const ceiling = await startProcess('bare hono', [path.join(import.meta.dirname, 'support', 'ceiling.mjs'), bodyFile]);
    processes.push(ceiling);
    const ceilingUrl = `${ceiling.url}/api/comments`;
    await autocannon({ url: readUrl, connections: READ_CONNECTIONS, amount: READ_CONNECTIONS * WARM_UP_PER_CONNECTION });
    await autocannon({ url: ceilingUrl, connections: READ_CONNECTIONS, amount: READ_CONNECTIONS * WARM_UP_PER_CONNECTION });
    if ((await (await fetch(ceilingUrl)).text()) !== body) throw new Error('the ceiling does not send the same bytes');
    phases.push(await measure('read first screen', sqlite, [], { url: readUrl, connections: READ_CONNECTIONS }));
    phases.push(await measure('read, bare Hono, same bytes', ceiling, [], { url: ceilingUrl, connections: READ_CONNECTIONS }));
    // Writes on a fresh process of their own, so a CPU profile (BENCH_CPU_PROF) shows them alone.
    await sqlite.stop();
    const sqliteWriter = await startServerProcess('parley sqlite (writes)', { ...common, DATABASE_URL: sqliteUrl }, profileFlags('sqlite-write'));
    processes.push(sqliteWriter);
    phases.push(await writePhase('post a comment (SQLite)', sqliteWriter, [], await countWith(sqliteUrl)));

    // PostgreSQL: a fresh schema; the server's backends carry an application_name we can find.
    const tag = `parley-bench-${process.pid}`;
    const postgres = await startServerProcess('parley postgres', { ...common, DATABASE_URL: taggedPgUrl(tag), PARLEY_PG_SCHEMA: schema.schema }, profileFlags('postgres'));
    processes.push(postgres);
    phases.push(await writePhase('post a comment (PostgreSQL)', postgres, [tag], await countWith(PG_URL, schema.schema)));
  } finally {
    await Promise.all(processes.map((child) => child.stop()));
    await schema.drop();
    rmSync(dir, { recursive: true, force: true });
  }

  printTable(phases.map(({ phase, connections, reqPerSec, non2xx, errors, p50Ms, p99Ms, nodeCpuMicros, pgCpuMicros, cpuMicrosPerRequest, pgAllCpuMicrosPerRequest, stored, loadAverage: load }) => ({
    phase, conns: connections, 'req/s': reqPerSec, non2xx, errors, 'p50 ms': p50Ms, 'p99 ms': p99Ms,
    'node cpu ms': round(nodeCpuMicros / 1000), 'pg cpu ms': pgCpuMicros === null ? '' : round(pgCpuMicros / 1000),
    'µs/req': cpuMicrosPerRequest, 'µs/req (all pg)': pgAllCpuMicrosPerRequest ?? '', stored: stored ?? '', load: load,
  })));
  const [read, bare, postSqlite, postPg] = phases as [Phase, Phase, Phase, Phase];
  const readRatio = round(read.cpuMicrosPerRequest / bare.cpuMicrosPerRequest, 2);
  console.log(`read/bare CPU per request: ${readRatio} (goal ≤ 1.5); post: SQLite ${postSqlite.cpuMicrosPerRequest} µs (goal ≤ 1500), PostgreSQL ${postPg.cpuMicrosPerRequest} µs Node+backends (goal ≤ 2500)`);
  console.log(JSON.stringify({
    bench: 'server-speed',
    server: SERVER_KIND,
    seconds: SECONDS,
    responseBytes,
    phases,
    readOverBareCpuPerRequest: readRatio,
    goals: { readAtMost1_5xBare: readRatio <= 1.5, sqlitePostAtMost1500: postSqlite.cpuMicrosPerRequest <= 1500, postgresPostAtMost2500: postPg.cpuMicrosPerRequest <= 2500 },
  }));
}

await main();
