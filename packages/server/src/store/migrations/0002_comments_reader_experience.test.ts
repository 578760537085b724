import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Migrator } from 'kysely';
import { dialectsUnderTest, skipReason } from '../../test/helpers.ts';
import type { Store } from '../store.ts';
import { migrationProvider } from './index.ts';

for (const dialect of await dialectsUnderTest()) {
  describe(`migration 0002 backfill on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
    });
    after(async () => dispose?.());

    test('down to 0001, old rows, up again: escaped html, root ids, email hashes', async () => {
      const migrator = new Migrator({ db: store.db, provider: migrationProvider });
      const down = await migrator.migrateTo('0001_initial');
      assert.equal(down.error, undefined);
      const row = (id: string, parent: string | null, body: string, email: string | null) => ({
        id, site: 's', page: '/p', parent_id: parent, author_name: null, author_email: email, body, status: 'visible', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z',
      });
      // Inserted through an untyped handle: at 0001 the new columns don't exist.
      const db = store.db as unknown as import('kysely').Kysely<any>;
      await db.insertInto('comments').values(row('01J0000000000000000000000A', null, '<script>x</script> & *md*\n\nsecond\nline', ' Ann@Example.org ')).execute();
      await db.insertInto('comments').values(row('01J0000000000000000000000B', '01J0000000000000000000000A', 'reply', null)).execute();
      await db.insertInto('comments').values(row('01J0000000000000000000000C', '01J0000000000000000000000B', 'deeper', null)).execute();
      const up = await migrator.migrateToLatest();
      assert.equal(up.error, undefined);
      const rows = await store.db.selectFrom('comments').select(['id', 'html', 'root_id', 'author_email_hash', 'likes']).orderBy('id').execute();
      assert.deepEqual(rows, [
        {
          id: '01J0000000000000000000000A',
          html: '<p>&lt;script&gt;x&lt;/script&gt; &amp; *md*</p>\n<p>second<br>\nline</p>',
          root_id: '01J0000000000000000000000A',
          author_email_hash: createHash('sha256').update('ann@example.org').digest('hex'),
          likes: 0,
        },
        { id: '01J0000000000000000000000B', html: '<p>reply</p>', root_id: '01J0000000000000000000000A', author_email_hash: null, likes: 0 },
        { id: '01J0000000000000000000000C', html: '<p>deeper</p>', root_id: '01J0000000000000000000000A', author_email_hash: null, likes: 0 },
      ]);
    });
  });
}
