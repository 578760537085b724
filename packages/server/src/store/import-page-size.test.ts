import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { tempDir } from '../test/helpers.ts';
import { BULK_LOAD_PAGE_SIZE, enlargePagesIfEmpty } from './import-page-size.ts';
import { openStore } from './store.ts';

function pragmas(file: string): { pageSize: number; journalMode: string } {
  const db = new SQLite(file, { readonly: true });
  try {
    return { pageSize: Number(db.pragma('page_size', { simple: true })), journalMode: String(db.pragma('journal_mode', { simple: true })) };
  } finally {
    db.close();
  }
}

describe('bigger pages for a first import into SQLite', () => {
  const temp = tempDir('parley-page-size-');
  after(() => temp.remove());

  const migrated = async (name: string, withComment: boolean) => {
    const file = path.join(temp.dir, name);
    const store = openStore(`file:${file}`);
    await store.migrate();
    await store.db.insertInto('settings').values({ key: 'kept', value: 'yes' }).execute();
    if (withComment) {
      const now = new Date().toISOString();
      await store.db.insertInto('comments').values({ id: '01J0000000000000000000000A', site: 's', page: '/p', root_id: '01J0000000000000000000000A', body: 'b', html: '<p>b</p>', status: 'visible', created_at: now, updated_at: now }).execute();
    }
    await store.close();
    return file;
  };

  test('a database that does not exist yet is made with them, in WAL mode, folder and all', async () => {
    const file = path.join(temp.dir, 'new', 'deeper', 'parley.sqlite');
    assert.equal(enlargePagesIfEmpty(file), true);
    assert.deepEqual(pragmas(file), { pageSize: BULK_LOAD_PAGE_SIZE, journalMode: 'wal' });
    const store = openStore(`file:${file}`);
    await store.migrate();
    await store.close();
    assert.equal(enlargePagesIfEmpty(file), false, 'once is enough');
  });

  test('an empty database is rebuilt with them and keeps what it held', async () => {
    const file = await migrated('empty.sqlite', false);
    assert.equal(pragmas(file).pageSize, 4096);
    assert.equal(enlargePagesIfEmpty(file), true);
    assert.deepEqual(pragmas(file), { pageSize: BULK_LOAD_PAGE_SIZE, journalMode: 'wal' });
    const store = openStore(`file:${file}`);
    await store.migrate();
    assert.equal((await store.db.selectFrom('settings').select('value').where('key', '=', 'kept').executeTakeFirst())?.value, 'yes');
    await store.close();
  });

  test('a database with comments is left as it is', async () => {
    const file = await migrated('full.sqlite', true);
    assert.equal(enlargePagesIfEmpty(file), false);
    assert.deepEqual(pragmas(file), { pageSize: 4096, journalMode: 'wal' });
  });

  test('a database another process has open (a running server) is left as it is', async () => {
    const file = await migrated('busy.sqlite', false);
    const server = openStore(`file:${file}`);
    try {
      await server.db.selectFrom('settings').selectAll().execute();
      assert.equal(enlargePagesIfEmpty(file), false);
      assert.deepEqual(pragmas(file), { pageSize: 4096, journalMode: 'wal' });
      assert.equal((await server.db.selectFrom('settings').select('value').where('key', '=', 'kept').executeTakeFirst())?.value, 'yes');
    } finally {
      await server.close();
    }
  });
});
