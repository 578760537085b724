import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../config.ts';
import { openStore, storeOptions } from './store.ts';

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
