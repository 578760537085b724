import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { PG_URL } from '../test/helpers.ts';
export { eventually } from '../test/helpers.ts';

const SERVER_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** One real server process (`src/main.ts` under tsx), as an operator would run it. */
export interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  /** What it printed, for failure messages. */
  output: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SERVER_ROOT,
    env: { ...process.env, NO_COLOR: '1', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      const match = /Parley listening on (http:\/\/[^\s]+)/.exec(text);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before listening:\n${output.join('')}`)));
  });
  return {
    name,
    url,
    child,
    output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

/** A fresh PostgreSQL schema for one run of several instances; `drop` removes it. */
export async function freshSchema(): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `parley_cluster_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return {
    schema,
    async drop() {
      const cleanup = new pg.Client({ connectionString: PG_URL });
      await cleanup.connect();
      await cleanup.query(`drop schema if exists ${schema} cascade`);
      await cleanup.end();
    },
  };
}

export interface SseEvent {
  id: string;
  type: string;
  data: unknown;
  at: number;
}

/** A reader's EventSource, in Node: collects events; `waitFor` waits on what arrived, not on time. */
export function openStream(url: string, lastEventId?: string): { events: SseEvent[]; opened: Promise<void>; closed: Promise<void>; waitFor(test: (events: SseEvent[]) => boolean, what: string, timeoutMs?: number): Promise<SseEvent[]>; close(): void } {
  const controller = new AbortController();
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let opened!: () => void;
  const openedPromise = new Promise<void>((resolve) => (opened = resolve));
  const closed = (async () => {
    try {
      const response = await fetch(url, { headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: controller.signal });
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.startsWith(': connected')) opened();
          const fields = Object.fromEntries(frame.split('\n').filter((line) => !line.startsWith(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
          if (fields.id) {
            events.push({ id: fields.id, type: fields.event ?? 'message', data: JSON.parse(fields.data ?? 'null'), at: Date.now() });
            for (const wake of [...waiters]) wake();
          }
        }
      }
    } catch {
      // Aborted by close(), or the server went away (a killed instance).
    } finally {
      opened();
      for (const wake of [...waiters]) wake();
    }
  })();
  let ended = false;
  void closed.then(() => (ended = true));
  return {
    events,
    opened: openedPromise,
    closed,
    async waitFor(test, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!test(events)) {
        if (ended) throw new Error(`stream ended before ${what}; got ${JSON.stringify(events.map((e) => e.type))}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(events.map((e) => e.type))}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(wake, 200);
          function wake() {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          }
          waiters.add(wake);
        });
      }
      return events;
    },
    close: () => controller.abort(),
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
