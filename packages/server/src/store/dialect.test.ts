import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../config.ts';
import { openStore, storeOptions } from './store.ts';
import { PG_URL, dialectsUnderTest, skipReason } from '../test/helpers.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'parley-dialect-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** SQLite's `PRAGMA synchronous` as the connection has it: 1 is NORMAL, 2 is FULL. */
async function synchronousOf(env: Record<string, string>): Promise<number> {
  const config = loadConfig({ DATABASE_URL: `file:${path.join(dir, `${Object.keys(env).length}.sqlite`)}`, ...env });
  const store = openStore(config.databaseUrl, storeOptions(config));
  try {
    const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(store.db);
    return rows[0]!.synchronous;
  } finally {
    await store.close();
  }
}

describe('SQLite durability (PARLEY_SQLITE_SYNCHRONOUS)', () => {
  test('WAL with synchronous NORMAL by default; FULL when asked; anything else is a configuration error', async () => {
    assert.equal(await synchronousOf({}), 1);
    assert.equal(await synchronousOf({ PARLEY_SQLITE_SYNCHRONOUS: 'full' }), 2);
    assert.throws(() => loadConfig({ PARLEY_SQLITE_SYNCHRONOUS: 'off' }), /PARLEY_SQLITE_SYNCHRONOUS/);
  });
});

const postgres = (await dialectsUnderTest()).find((dialect) => dialect.name === 'postgres')!;
describe('PostgreSQL prepared statements', { skip: skipReason(postgres) }, () => {
  test('hot statements are prepared once per connection; `select *` stays unnamed, so a migration adding a column breaks nothing', async () => {
    if (postgres.skip) throw new Error(`PostgreSQL is required under CI=true: ${postgres.skip}`);
    const { store, dispose } = await postgres.open();
    try {
      // One query at a time: the pool hands out the same connection again.
      for (let i = 0; i < 3; i++) {
        await store.db.selectFrom('comments').select('id').where('page', '=', `/p${i}`).execute();
        await store.db.selectFrom('comments').selectAll().where('page', '=', `/p${i}`).execute();
      }
      const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements where name like 'parley_%'`.execute(store.db);
      assert.ok(rows.some((row) => /select "id" from "comments"/.test(row.statement)), 'the explicit-column query is prepared');
      assert.ok(!rows.some((row) => row.statement.includes('*')), 'no `select *` is prepared');
      // What a newer instance's migration does while this one runs.
      await sql`alter table comments add column added_by_a_migration text`.execute(store.db);
      const after = await store.db.selectFrom('comments').selectAll().where('page', '=', '/p0').execute();
      assert.deepEqual(after, []);
      await store.db.selectFrom('comments').select('id').where('page', '=', '/p0').execute();
    } finally {
      await dispose();
    }
  });

  test('PARLEY_PG_PREPARED_STATEMENTS=false sends every statement unnamed (for poolers that cannot keep them)', async () => {
    const config = loadConfig({ DATABASE_URL: PG_URL, PARLEY_PG_PREPARED_STATEMENTS: 'false' });
    const store = openStore(config.databaseUrl, storeOptions(config));
    try {
      for (let i = 0; i < 3; i++) await sql`select ${i}::int as x`.execute(store.db);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where name like 'parley_%'`.execute(store.db);
      assert.equal(rows[0]!.n, 0);
    } finally {
      await store.close();
    }
  });
});
