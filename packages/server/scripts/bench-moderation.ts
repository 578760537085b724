// Bounded micro-benchmark of the moderation building blocks (a script, not a test):
// rate-limit hits per store, scrypt hash/verify, moderate() on a clean comment. 127.0.0.1 only.
//   node --import tsx scripts/bench-moderation.ts [hits=2000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { hashPassword, verifyPassword } from '../src/admin/passwords.ts';
import { systemClock } from '../src/clock.ts';
import { moderate } from '../src/moderation/moderate.ts';
import { DatabaseRateLimitStore } from '../src/rate-limit/database-store.ts';
import type { RateLimitStore } from '../src/rate-limit/rate-limit.ts';
import { RedisRateLimitStore } from '../src/rate-limit/redis-store.ts';
import { defaultSiteSettings } from '../src/sites/config.ts';
import { openStore } from '../src/store/store.ts';

const HITS = Math.min(Number(process.argv[2] ?? 2000), 20_000);
const PG_URL = process.env.PARLEY_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';

async function timeHits(name: string, store: RateLimitStore, concurrency: number): Promise<void> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < HITS) {
        const i = next++;
        await store.hit(`bench:${i % 50}`, 60_000);
      }
    }),
  );
  const ms = performance.now() - started;
  console.log(`${name.padEnd(34)} ${HITS} hits, concurrency ${concurrency}: ${(HITS / (ms / 1000)).toFixed(0)} hits/s (${(ms / HITS).toFixed(3)} ms/hit)`);
}

const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-'));
const sqlite = openStore(`file:${path.join(dir, 'bench.sqlite')}`);
await sqlite.migrate();
await timeHits('rate limit: SQLite (file, WAL)', new DatabaseRateLimitStore(sqlite.db, systemClock), 1);
await sqlite.close();
rmSync(dir, { recursive: true, force: true });

const schema = `parley_bench_${Math.random().toString(36).slice(2, 10)}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`CREATE SCHEMA ${schema}`);
try {
  const postgres = openStore(PG_URL, { pgSchema: schema });
  await postgres.migrate();
  await timeHits('rate limit: PostgreSQL (pool 10)', new DatabaseRateLimitStore(postgres.db, systemClock), 10);
  await postgres.close();
} finally {
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
}

const redis = new RedisRateLimitStore('redis://127.0.0.1:6379', { prefix: `parley:bench:${Date.now()}:` });
await timeHits('rate limit: Redis (1 connection)', redis, 10);
await redis.close();

let started = performance.now();
const hashes: string[] = [];
for (let i = 0; i < 10; i++) hashes.push(await hashPassword(`password number ${i}`));
console.log(`scrypt hashPassword (N=2^15, r=8)   ${((performance.now() - started) / 10).toFixed(1)} ms each`);
started = performance.now();
for (let i = 0; i < 10; i++) await verifyPassword(`password number ${i}`, hashes[i]!);
console.log(`scrypt verifyPassword              ${((performance.now() - started) / 10).toFixed(1)} ms each`);

const site = { ...defaultSiteSettings('bench'), blockedWords: ['viagra', 'casino bonus', 'free money', 'crypto giveaway'] };
const body = 'A longer comment about the article, with one link https://example.org and some words. '.repeat(10);
started = performance.now();
for (let i = 0; i < 10_000; i++) await moderate({ body, fillMs: 60_000 }, site, { ip: '203.0.113.1', now: Date.now() });
console.log(`moderate() rules only, 860-char body ${((performance.now() - started) / 10_000 * 1000).toFixed(1)} µs each`);
