// Benchmark: live fan-out across instances — BENCH_LISTENERS (3,000) Server-Sent-Events listeners on
// one page, spread evenly over BENCH_INSTANCES (3) Parley processes on one PostgreSQL; one comment
// posted on the first instance must reach every listener. Reports p50/p99/max latency from the
// POST to each listener's `comment.created` (overall and per instance: the posting one hears it in
// process, the others through NOTIFY), and each instance's RSS idle and with its listeners.
//   pnpm --filter @parley/tests bench:fanout
// Needs one file descriptor per listener in this process (and per listener in each server): the
// script checks `ulimit -n` and says how to raise it. Prints a table, then one JSON line.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import {
  SERVER_KIND, buildServer, freshSchema, loadAverage, printTable, round, rssMB, startServerProcess, taggedPgUrl, type ServerProcess,
} from './support/processes.ts';

const LISTENERS = Number(process.env.BENCH_LISTENERS ?? 3000);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 3);
const BATCH = 100;
const TIMEOUT_MS = 60_000;
const PAGE = '/live';

interface Listener {
  instance: number;
  request: http.ClientRequest;
  opened: Promise<void>;
  gotEvent: Promise<number>;
}

function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'))!;
  return Number(line.split(/\s+/)[3]);
}

function listen(instance: number, port: number): Listener {
  let markOpen!: () => void;
  let markEvent!: (at: number) => void;
  let fail!: (error: Error) => void;
  const opened = new Promise<void>((resolve, reject) => {
    markOpen = resolve;
    fail = reject;
  });
  const gotEvent = new Promise<number>((resolve) => (markEvent = resolve));
  const request = http.get({ host: '127.0.0.1', port, path: `/api/stream?site=bench&page=${encodeURIComponent(PAGE)}`, agent: false, headers: { accept: 'text/event-stream' } }, (response) => {
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
  return { instance, request, opened, gotEvent };
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), TIMEOUT_MS).unref())]);
}

const percentile = (sorted: number[], p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!, 1);

async function main(): Promise<void> {
  const limit = openFileLimit();
  if (limit < LISTENERS + 500) {
    throw new Error(`ulimit -n is ${limit}: ${LISTENERS} listeners need about ${LISTENERS + 500} file descriptors here. Run \`ulimit -n ${LISTENERS * 2 + 1024}\` in this shell first (the servers inherit it).`);
  }
  buildServer();
  const schema = await freshSchema('parley_fanout_bench');
  const instances: ServerProcess[] = [];
  const listeners: Listener[] = [];
  try {
    const env = (i: number) => ({ DATABASE_URL: taggedPgUrl(`parley-fanout-${i}`), PARLEY_PG_SCHEMA: schema.schema, PARLEY_SECRET: 'shared-bench-secret' });
    for (let i = 0; i < INSTANCES; i++) instances.push(await startServerProcess(`instance ${i + 1}`, env(i)));
    for (const instance of instances) await fetch(`${instance.url}/api/comments?site=bench&page=${encodeURIComponent(PAGE)}`);
    const rssIdle = instances.map((instance) => rssMB(instance.pid));

    const connectStarted = performance.now();
    for (let i = 0; i < LISTENERS; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, LISTENERS - i) }, (_, j) => {
        const instance = (i + j) % instances.length;
        return listen(instance, instances[instance]!.port);
      });
      listeners.push(...batch);
      await withTimeout(Promise.all(batch.map((l) => l.opened)), 'listeners connecting');
    }
    const connectMs = performance.now() - connectStarted;
    const rssConnected = instances.map((instance) => rssMB(instance.pid));

    // A comment on another page first: the timed one then measures fan-out, not first-call warm-up.
    const post = (page: string, body: string) => fetch(`${instances[0]!.url}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'bench', page, body }) });
    await post('/warm-up', 'warm-up');

    const load = loadAverage();
    const postedAt = performance.now();
    const response = await post(PAGE, 'Hello, *everyone*.');
    const postResponseMs = performance.now() - postedAt;
    if (response.status !== 201) throw new Error(`post answered ${response.status}: ${await response.text()}`);
    const arrivals = await withTimeout(Promise.all(listeners.map((l) => l.gotEvent)), 'event fan-out');
    const rssAfter = instances.map((instance) => rssMB(instance.pid));

    const latencies = (instance?: number) => arrivals.filter((_, i) => instance === undefined || listeners[i]!.instance === instance).map((t) => t - postedAt).sort((a, b) => a - b);
    const summary = (times: number[]) => ({ p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99), maxMs: round(times[times.length - 1]!, 1) });
    const perInstance = instances.map((instance, i) => ({
      instance: instance.name + (i === 0 ? ' (posted here)' : ''),
      listeners: latencies(i).length,
      ...summary(latencies(i)),
      rssIdleMB: rssIdle[i]!,
      rssConnectedMB: rssConnected[i]!,
      rssAfterMB: rssAfter[i]!,
      kBPerListener: round(((rssConnected[i]! - rssIdle[i]!) * 1024) / latencies(i).length, 1),
    }));
    const all = summary(latencies());
    printTable([...perInstance, { instance: 'all', listeners: LISTENERS, ...all, rssIdleMB: '', rssConnectedMB: '', rssAfterMB: '', kBPerListener: '' }]);
    console.log(`load average ${load}; ${LISTENERS} listeners connected in ${Math.round(connectMs)} ms; POST answered in ${round(postResponseMs, 1)} ms`);
    console.log(JSON.stringify({ bench: 'fanout', server: SERVER_KIND, listeners: LISTENERS, instances: INSTANCES, loadAverage: load, connectAllMs: Math.round(connectMs), postResponseMs: round(postResponseMs, 1), ...all, perInstance }));
  } finally {
    for (const listener of listeners) listener.request.destroy();
    await Promise.all(instances.map((instance) => instance.stop()));
    await schema.drop();
  }
}

await main();
