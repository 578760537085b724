import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { dialectsUnderTest, skipReason } from '../test/helpers.ts';
import { NewerSchemaError, type Store } from './store.ts';

// A database from a newer Parley (a migration this version does not know) is refused, on every dialect.
for (const dialect of await dialectsUnderTest()) {
  describe(`a database from a newer version: ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
    });
    after(async () => dispose?.());

    test('is refused with a message naming the unknown migration, and left untouched', async () => {
      await sql`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', '2030-01-01T00:00:00.000Z')`.execute(store.db);
      const before = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(store.db);
      await assert.rejects(store.migrate(), (error: unknown) => {
        assert.ok(error instanceof NewerSchemaError);
        assert.match(error.message, /migrated by a newer version of Parley \(unknown migration 9999_from_the_future\)/);
        return true;
      });
      const after = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(store.db);
      assert.deepEqual(after.rows, before.rows);
    });
  });
}
