import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { importComments } from '../migrate/importer.ts';
import { tempDir } from '../test/helpers.ts';
import { DEFERRABLE_INDEXES, IMPORT_CHECKPOINT_PAGES, deferIndexesIfEmpty, withImportCheckpoints } from './deferred-indexes.ts';
import { openStore, type Store } from './store.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrate', 'fixtures', 'disqus.xml');

async function indexSql(store: Store): Promise<Map<string, string>> {
  const { rows } = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'index' and sql is not null`.execute(store.db);
  return new Map(rows.map((row) => [row.name, row.sql]));
}

/** The indexes as another process sees them right now (what the import has committed). */
function committedIndexes(file: string): Set<string> {
  const db = new SQLite(file, { readonly: true });
  try {
    return new Set(db.prepare(`select name from sqlite_master where type = 'index'`).all().map((row) => (row as { name: string }).name));
  } finally {
    db.close();
  }
}

describe('indexes deferred by a bulk import (SQLite)', () => {
  const temp = tempDir('parley-deferred-');
  after(() => temp.remove());
  const fresh = async (name: string) => {
    const file = path.join(temp.dir, name);
    const store = openStore(`file:${file}`);
    await store.migrate();
    return { store, file };
  };

  test('a first import into an empty database drops them meanwhile and ends with every index as the migrations made it', async () => {
    const { store, file } = await fresh('first.sqlite');
    const before = await indexSql(store);
    for (const name of DEFERRABLE_INDEXES) assert.ok(before.has(name), name);
    let during: Set<string> | undefined;
    await importComments(store, [fixture], { site: 'a', secret: 's', onProgress: () => void (during ??= committedIndexes(file)) });
    assert.ok(during, 'progress was reported while importing');
    for (const name of DEFERRABLE_INDEXES) assert.ok(!during.has(name), `${name} is built after the load, not row by row`);
    assert.ok(during.has('sqlite_autoindex_import_sources_1'), 'the import reads this one: it stays');
    assert.deepEqual(await indexSql(store), before);
    const { rows } = await sql<{ value: string }>`select value from settings where key = 'import_deferred_indexes'`.execute(store.db);
    assert.deepEqual(rows, []);
    // The next import finds comments there: nothing is dropped.
    const seen: Array<Set<string>> = [];
    await importComments(store, [fixture], { site: 'b', secret: 's', onProgress: () => void seen.push(committedIndexes(file)) });
    assert.ok(seen.length > 0);
    for (const names of seen) for (const name of before.keys()) assert.ok(names.has(name), name);
    await store.close();
  });

  test('indexes an import was killed without rebuilding come back at the next migrate', async () => {
    const { store, file } = await fresh('killed.sqlite');
    const before = await indexSql(store);
    assert.equal(await store.transaction((trx) => deferIndexesIfEmpty(trx, 'sqlite')), true);
    assert.notDeepEqual(await indexSql(store), before);
    await store.close();
    const reopened = openStore(`file:${file}`);
    await reopened.migrate();
    assert.deepEqual(await indexSql(reopened), before);
    await reopened.close();
  });

  test('a dry run and a database with comments keep every index', async () => {
    const { store } = await fresh('dry.sqlite');
    const before = await indexSql(store);
    await importComments(store, [fixture], { site: 'a', secret: 's', dryRun: true });
    assert.deepEqual(await indexSql(store), before);
    await importComments(store, [fixture], { site: 'a', secret: 's' });
    assert.equal(await store.transaction((trx) => deferIndexesIfEmpty(trx, 'sqlite')), false);
    assert.deepEqual(await indexSql(store), before);
    await store.close();
  });

  test('imports checkpoint the WAL less often, and the connection gets its setting back, also after a failure', async () => {
    const { store } = await fresh('checkpoints.sqlite');
    const setting = async () => (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db)).rows[0]!.wal_autocheckpoint;
    assert.equal(await setting(), 1000);
    assert.equal(await withImportCheckpoints(store.db, 'sqlite', setting), IMPORT_CHECKPOINT_PAGES);
    assert.equal(await setting(), 1000);
    await assert.rejects(withImportCheckpoints(store.db, 'sqlite', () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await setting(), 1000);
    await store.close();
  });
});
