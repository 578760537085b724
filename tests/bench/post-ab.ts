// A/B of the write path on PostgreSQL: two builds of the server at once, posting to each in turn, so
// that a shared machine's load falls on both alike.
//   BENCH_BASELINE=/path/to/other/checkout pnpm --filter @parley/tests bench:post-ab
// Both servers run `node dist/main.js` (build each checkout first), each on its own fresh schema,
// with unlimited rate limits. Every round posts for BENCH_SECONDS (3) at BENCH_WRITE_CONNECTIONS (10)
// to one page of each, and reads the CPU of the Node process and its backends (application_name).
// BENCH_ROUNDS (6) rounds; medians last. BENCH_DUPLICATE_RULE=1 keeps the site's duplicate rule on
// (the default for a site) and makes every body unique.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_COMMENT, autocannon, buildServer, cpuMeter, freshSchema, loadAverage, round, startProcess, taggedPgUrl, unlimitedSite, type ServerProcess } from './support/processes.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const CONNECTIONS = Number(process.env.BENCH_WRITE_CONNECTIONS ?? 10);
const DUPLICATE_RULE = process.env.BENCH_DUPLICATE_RULE === '1';
const BASELINE = process.env.BENCH_BASELINE;
if (!BASELINE) throw new Error('BENCH_BASELINE=/path/to/a/checkout (with packages/server/dist built) is required');
const SITE = 'bench';

let serial = 0;
const postOptions = (server: ServerProcess, page: string, extra: Record<string, unknown>) => ({
  url: `${server.url}/api/comments`,
  connections: CONNECTIONS,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  ...(DUPLICATE_RULE
    ? { requests: [{ setupRequest: (request: object) => ({ ...request, body: JSON.stringify({ site: SITE, page, author: { name: 'Bench' }, body: `${BENCH_COMMENT} ${serial++}` }) }) }] }
    : { body: JSON.stringify({ site: SITE, page, author: { name: 'Bench' }, body: BENCH_COMMENT }) }),
  ...extra,
});

async function main(): Promise<void> {
  buildServer();
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-post-ab-'));
  const sitesFile = path.join(dir, 'sites.json');
  const site = unlimitedSite(SITE) as { sites: Array<Record<string, unknown>> };
  if (DUPLICATE_RULE) delete site.sites[0]!.duplicateWindowSeconds;
  writeFileSync(sitesFile, JSON.stringify(site));
  const builds = [
    { name: 'baseline', main: path.join(BASELINE!, 'packages/server/dist/main.js') },
    { name: 'this checkout', main: path.resolve(import.meta.dirname, '../../packages/server/dist/main.js') },
  ];
  const running: Array<{ name: string; server: ServerProcess; tag: string; drop(): Promise<void>; perRequest: number[] }> = [];
  try {
    for (const build of builds) {
      const schema = await freshSchema();
      const tag = `parley-ab-${running.length}-${process.pid}`;
      const server = await startProcess(build.name, [build.main], { PARLEY_SECRET: 'bench', PARLEY_CONFIG: sitesFile, DATABASE_URL: taggedPgUrl(tag), PARLEY_PG_SCHEMA: schema.schema });
      running.push({ name: build.name, server, tag, drop: () => schema.drop(), perRequest: [] });
      await autocannon(postOptions(server, '/warm-up', { amount: CONNECTIONS * 20 }));
    }
    for (let i = 0; i < ROUNDS; i++) {
      for (const build of i % 2 === 0 ? running : [...running].reverse()) {
        const meter = await cpuMeter([build.server.pid], [build.tag]);
        const result = await autocannon(postOptions(build.server, '/speed-post', { duration: SECONDS }));
        const cpu = await meter.stop();
        const total = result.requests.total;
        const perRequest = Math.round((cpu.nodeMicros + cpu.pgOursMicros) / total);
        build.perRequest.push(perRequest);
        console.log(`round ${i + 1} ${build.name.padEnd(13)} ${String(Math.round(total / SECONDS)).padStart(5)} posts/s, non-2xx ${result.non2xx}, Node ${Math.round(cpu.nodeMicros / total)} + backends ${Math.round(cpu.pgOursMicros / total)} = ${perRequest} µs/post, load ${loadAverage()}`);
      }
    }
  } finally {
    for (const build of running) {
      await build.server.stop();
      await build.drop();
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  for (const build of running) console.log(`${build.name}: median ${median(build.perRequest)} µs/post (Node + backends), rounds ${build.perRequest.join(', ')}`);
  console.log(`this checkout / baseline: ${round(median(running[1]!.perRequest) / median(running[0]!.perRequest), 2)}`);
}

await main();
