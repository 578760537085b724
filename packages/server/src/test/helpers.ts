import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Clock } from '../clock.ts';
import { openStore, type Store } from '../store/store.ts';

/** The PostgreSQL the conformance suites run against (trust auth on this machine and in CI). */
export const PG_URL = process.env.PARLEY_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';

export interface DialectUnderTest {
  name: 'sqlite' | 'postgres';
  /** Why it cannot run here, if it cannot (and we are not in CI, where that is a failure). */
  skip?: string;
  /** A fresh, migrated store and a function that closes and removes it. */
  open(): Promise<{ store: Store; url: string; dispose(): Promise<void> }>;
}

async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 15_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${PG_URL} is unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
}

export function tempDir(prefix = 'parley-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const sqlite: DialectUnderTest = {
  name: 'sqlite',
  async open() {
    const temp = tempDir();
    const url = `file:${path.join(temp.dir, 'parley.sqlite')}`;
    const store = openStore(url);
    await store.migrate();
    return {
      store,
      url,
      async dispose() {
        await store.close();
        temp.remove();
      },
    };
  },
};

function postgres(skip: string | undefined): DialectUnderTest {
  return {
    name: 'postgres',
    ...(skip ? { skip } : {}),
    async open() {
      // Each run gets its own schema, so runs never see each other's rows and cleanup is one DROP.
      const schema = `parley_test_${Math.random().toString(36).slice(2, 10)}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const store = openStore(PG_URL, { pgSchema: schema });
      const dropSchema = async () => {
        const cleanup = new pg.Client({ connectionString: PG_URL });
        await cleanup.connect();
        await cleanup.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await cleanup.end();
      };
      try {
        await store.migrate();
      } catch (error) {
        // A half-migrated schema left behind would break later runs.
        await store.close();
        await dropSchema();
        throw error;
      }
      return {
        store,
        url: PG_URL,
        async dispose() {
          await store.close();
          await dropSchema();
        },
      };
    },
  };
}

/**
 * SQLite always; PostgreSQL when reachable. Unreachable PostgreSQL is a skip locally and a
 * failure under CI=true (suites call `assertDialectRunnable` for that).
 */
export async function dialectsUnderTest(): Promise<DialectUnderTest[]> {
  return [sqlite, postgres(await postgresUnavailable())];
}

/** Throws under CI when a dialect would be skipped; returns the skip reason otherwise. */
export function skipReason(dialect: DialectUnderTest): string | undefined {
  if (!dialect.skip) return undefined;
  if (process.env.CI === 'true') return undefined; // the suite runs and fails loudly in `open()`/the guard test
  return `${dialect.skip}; start it or set PARLEY_TEST_PG_URL (CI=true makes this a failure)`;
}

/** A clock tests move by hand. */
export function manualClock(start = '2026-01-01T00:00:00.000Z'): Clock & { advance(ms: number): void } {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

export const jsonHeaders = { 'content-type': 'application/json' } as const;

/**
 * Polls `read` until `test` holds: for state another process or a background job changes (a
 * cache, an index, a delivery, a window another clock ends). Waits on that state; the time-out
 * only bounds a failure, and the 20 ms between reads is a polling interval, not a wait for time.
 */
export async function eventually<T>(read: () => Promise<T>, test: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  let value = await read();
  while (!test(value)) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return { value, ms: Date.now() - started };
}
