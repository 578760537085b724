// Benchmark: 1, 2 and 3 Parley instances on one PostgreSQL — reads/s, posts/s, CPU per request
// (Node processes + the PostgreSQL backends serving them) and how the load spread over instances.
//   pnpm --filter @parley/tests bench:cluster          (BENCH_SECONDS=5 per phase, BENCH_INSTANCES=1,2,3)
// Every instance is a real process (compiled `node dist/main.js`; BENCH_SERVER=source: tsx) on a
// fresh schema, as in packages/server/src/cluster. The load generator (autocannon, in this process)
// drives each instance with an equal share of the connections, as a round-robin proxy would:
//  - read: the cached first screen (20 top-level comments of a 300-comment thread), 50 connections;
//  - write: POST a comment through the whole gate, 10 connections, spread over 10 pages (posts to
//    one page are serialised by its lock, whichever instance takes them); afterwards the rows are
//    counted and must match the 2xx answers.
// On a 2-core machine more instances cannot add CPU: read the CPU per request and the spread, not
// the throughput, as what carries over to a bigger machine. Prints a table, then one JSON line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../packages/server/src/store/store.ts';
import { seedThread } from './comments-seed.ts';
import {
  BENCH_COMMENT, PG_URL, SERVER_KIND, autocannon, buildServer, cpuMeter, freshSchema, loadAverage, printTable, round,
  startServerProcess, taggedPgUrl, unlimitedSite, type LoadResult, type ServerProcess,
} from './support/processes.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const INSTANCE_COUNTS = (process.env.BENCH_INSTANCES ?? '1,2,3').split(',').map(Number);
const READ_CONNECTIONS = Number(process.env.BENCH_READ_CONNECTIONS ?? 50);
const WRITE_CONNECTIONS = Number(process.env.BENCH_WRITE_CONNECTIONS ?? 10);
const WRITE_PAGES = 10;
const WARM_UP_PER_CONNECTION = Number(process.env.BENCH_WARM_UP_PER_CONNECTION ?? 10);
const SITE = 'bench';

interface Row {
  instances: number;
  phase: string;
  reqPerSec: number;
  total: number;
  non2xx: number;
  errors: number;
  p99Ms: number;
  nodeMicrosPerRequest: number;
  pgMicrosPerRequest: number;
  cpuMicrosPerRequest: number;
  pgAllMicrosPerRequest: number;
  /** Requests answered by each instance, in percent. */
  spread: number[];
  /** CPU of each instance, in percent of the instances' total. */
  cpuSpread: number[];
  stored?: number;
  loadAverage: number;
}

/** One autocannon per instance, each with its share of the connections, all at once. */
async function drive(instances: ServerProcess[], connections: number, options: (instance: ServerProcess, index: number) => Record<string, unknown>, bound: { duration: number } | { amountPerConnection: number }): Promise<LoadResult[]> {
  return Promise.all(instances.map((instance, i) => {
    const share = Math.floor(connections / instances.length) + (i < connections % instances.length ? 1 : 0);
    const limit = 'duration' in bound ? { duration: bound.duration } : { amount: share * bound.amountPerConnection };
    return autocannon({ connections: share, ...limit, ...options(instance, i) });
  }));
}

async function phase(name: string, instances: ServerProcess[], tags: string[], connections: number, options: (instance: ServerProcess, index: number) => Record<string, unknown>): Promise<Row> {
  // Warm-up by count, not time: on a loaded machine every instance must still have answered enough
  // requests for its JIT, statement caches and pool to be warm.
  await drive(instances, connections, options, { amountPerConnection: WARM_UP_PER_CONNECTION });
  const perInstanceBefore = instances.map((instance) => cpuMeter([instance.pid], []));
  const meter = await cpuMeter(instances.map((instance) => instance.pid), tags);
  const meters = await Promise.all(perInstanceBefore);
  const results = await drive(instances, connections, options, { duration: SECONDS });
  const cpu = await meter.stop();
  const perInstanceCpu = await Promise.all(meters.map(async (m) => (await m.stop()).nodeMicros));
  const total = results.reduce((sum, r) => sum + r.requests.total, 0);
  const percent = (part: number, whole: number) => (whole ? round((part / whole) * 100) : 0);
  const perRequest = (micros: number) => (total ? Math.round(micros / total) : 0);
  return {
    instances: instances.length,
    phase: name,
    reqPerSec: Math.round(total / SECONDS),
    total,
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
    p99Ms: Math.max(...results.map((r) => r.latency.p99)),
    nodeMicrosPerRequest: perRequest(cpu.nodeMicros),
    pgMicrosPerRequest: perRequest(cpu.pgOursMicros),
    cpuMicrosPerRequest: perRequest(cpu.nodeMicros + cpu.pgOursMicros),
    pgAllMicrosPerRequest: perRequest(cpu.nodeMicros + cpu.pgAllMicros),
    spread: results.map((r) => percent(r.requests.total, total)),
    cpuSpread: perInstanceCpu.map((micros) => percent(micros, perInstanceCpu.reduce((a, b) => a + b, 0))),
    loadAverage: loadAverage(),
    ...({ ok: results.reduce((sum, r) => sum + r['2xx'], 0) } as object),
  };
}

async function runWith(count: number, sitesFile: string): Promise<Row[]> {
  const schema = await freshSchema('parley_cluster_bench');
  const instances: ServerProcess[] = [];
  const store = openStore(PG_URL, { pgSchema: schema.schema });
  try {
    await store.migrate();
    await seedThread(store, { site: SITE, page: '/speed', count: 300, topLevelShare: 0.3 });
    const tags = Array.from({ length: count }, (_, i) => `parley-cluster-${process.pid}-${i}`);
    const env = (i: number) => ({ DATABASE_URL: taggedPgUrl(tags[i]!), PARLEY_PG_SCHEMA: schema.schema, PARLEY_SECRET: 'shared-bench-secret', PARLEY_CONFIG: sitesFile });
    for (let i = 0; i < count; i++) instances.push(await startServerProcess(`instance ${i + 1}`, env(i)));

    const read = await phase('read first screen', instances, tags, READ_CONNECTIONS, (instance) => ({ url: `${instance.url}/api/comments?site=${SITE}&page=%2Fspeed&limit=20` }));
    let sent = 0;
    const write = await phase('post a comment', instances, tags, WRITE_CONNECTIONS, (instance) => ({
      url: `${instance.url}/api/comments`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Each request picks the next page, so the pages' locks are shared by every instance.
      requests: [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, body: JSON.stringify({ site: SITE, page: `/post-${sent++ % WRITE_PAGES}`, author: { name: 'Bench' }, body: BENCH_COMMENT }) }) }],
    }));
    const stored = Number((await store.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('site', '=', SITE).where('page', 'like', '/post-%').executeTakeFirstOrThrow()).n);
    // The warm-up's posts are stored too; autocannon drops what is in flight when time is up.
    const ok = (write as unknown as { ok: number }).ok;
    if (stored < ok) throw new Error(`${count} instances: ${ok} posts answered 2xx but only ${stored} rows are stored`);
    return [read, { ...write, stored }];
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    await store.close();
    await schema.drop();
  }
}

async function main(): Promise<void> {
  buildServer();
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-cluster-bench-'));
  const rows: Row[] = [];
  try {
    const sitesFile = path.join(dir, 'sites.json');
    writeFileSync(sitesFile, JSON.stringify(unlimitedSite(SITE)));
    for (const count of INSTANCE_COUNTS) rows.push(...(await runWith(count, sitesFile)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(rows.map((row) => ({
    instances: row.instances, phase: row.phase, 'req/s': row.reqPerSec, non2xx: row.non2xx, errors: row.errors, 'p99 ms': row.p99Ms,
    'µs/req node+pg': row.cpuMicrosPerRequest, 'node': row.nodeMicrosPerRequest, 'pg': row.pgMicrosPerRequest, 'µs/req (all pg)': row.pgAllMicrosPerRequest,
    'requests %': row.spread.join('/'), 'cpu %': row.cpuSpread.join('/'), stored: row.stored ?? '', load: row.loadAverage,
  })));
  console.log(JSON.stringify({ bench: 'cluster', server: SERVER_KIND, seconds: SECONDS, readConnections: READ_CONNECTIONS, writeConnections: WRITE_CONNECTIONS, rows }));
}

await main();
