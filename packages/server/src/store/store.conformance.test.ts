import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ArticlesUpsertSchema } from '@parley/schema';
import { ArticlesService } from '../services/articles.ts';
import { dialectsUnderTest, manualClock, skipReason } from '../test/helpers.ts';
import { countArticles, listArticles } from './articles.repository.ts';
import { countVisibleComments, findCommentById, insertComment, listVisibleComments } from './comments.repository.ts';
import type { NewCommentRow } from './schema.ts';
import type { Store } from './store.ts';

// One suite, every dialect: rows must come back in the same shape from SQLite and PostgreSQL.

function comment(id: string, extra: Partial<NewCommentRow> = {}): NewCommentRow {
  return {
    id,
    site: 's',
    page: '/p',
    parent_id: null,
    author_name: null,
    author_email: null,
    body: `body ${id}`,
    status: 'visible',
    created_at: `2026-01-01T00:00:0${id.slice(-1)}.000Z`,
    updated_at: `2026-01-01T00:00:0${id.slice(-1)}.000Z`,
    ...extra,
  };
}

for (const dialect of await dialectsUnderTest()) {
  describe(`store conformance: ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
    });
    after(async () => dispose?.());

    test('reports its dialect, pings, and migrating again is a no-op', async () => {
      assert.equal(store.dialect, dialect.name);
      await store.ping();
      const again = await store.migrate();
      assert.deepEqual(again.results, []);
    });

    test('comments round-trip with identical shapes', async () => {
      const row = await insertComment(store.db, comment('01J0000000000000000000000A', { author_name: 'Ann', author_email: 'a@x.io' }));
      // Columns added by 0002 come back with the same defaults from both dialects.
      const added = { html: '', root_id: null, edit_token_hash: null, edited_at: null, deleted_at: null, likes: 0, ip_hash: null, author_avatar: null, author_email_hash: null, pinned: 0 };
      assert.deepEqual(row, { ...comment('01J0000000000000000000000A', { author_name: 'Ann', author_email: 'a@x.io' }), ...added });
      assert.deepEqual(await findCommentById(store.db, row.id), row);
      assert.equal(await findCommentById(store.db, '01J0000000000000000000000Z'), undefined);
    });

    test('listing is oldest first and only visible; counts are numbers from one grouped query', async () => {
      await insertComment(store.db, comment('01J0000000000000000000000C', { parent_id: '01J0000000000000000000000A' }));
      await insertComment(store.db, comment('01J0000000000000000000000B'));
      await insertComment(store.db, comment('01J0000000000000000000000D', { status: 'spam' }));
      await insertComment(store.db, comment('01J0000000000000000000000E', { page: '/q' }));
      const rows = await listVisibleComments(store.db, 's', '/p');
      assert.deepEqual(rows.map((r) => r.id.slice(-1)), ['A', 'B', 'C']);
      const counts = await countVisibleComments(store.db, 's', ['/p', '/q', '/none', '/p']);
      assert.deepEqual([...counts].sort(), [['/p', 3], ['/q', 1]]);
      for (const n of counts.values()) assert.equal(typeof n, 'number');
    });

    test('a reply must reference an existing comment (foreign key)', async () => {
      await assert.rejects(insertComment(store.db, comment('01J0000000000000000000000F', { parent_id: '01J00000000000000000000000' })));
    });

    test('transaction helper commits on success and rolls back on throw', async () => {
      await store.transaction(async (trx) => insertComment(trx, comment('01J0000000000000000000000G', { site: 'tx' })));
      await assert.rejects(
        store.transaction(async (trx) => {
          await insertComment(trx, comment('01J0000000000000000000000H', { site: 'tx' }));
          throw new Error('boom');
        }),
        /boom/,
      );
      const ids = (await store.db.selectFrom('comments').select('id').where('site', '=', 'tx').execute()).map((r) => r.id);
      assert.deepEqual(ids, ['01J0000000000000000000000G']);
    });

    describe('articles', () => {
      const clock = manualClock('2026-02-01T00:00:00.000Z');
      const upsert = (input: unknown) => new ArticlesService(store, clock).upsert(ArticlesUpsertSchema.parse(input));

      test('insert then update by page key keeps created_at and counts both', async () => {
        const first = await upsert({ site: 'a', articles: [{ url: 'https://x.io/one?utm=1', title: 'One', tags: ['x', 'y'] }, { url: '/two#c', title: 'Two' }] });
        assert.deepEqual(first, { site: 'a', inserted: 2, updated: 0 });
        clock.advance(60_000);
        const second = await upsert({ site: 'a', articles: [{ url: '/one', title: 'One again', publishedAt: '2026-01-05T12:00:00-05:00' }, { url: '/three', title: 'Three' }] });
        assert.deepEqual(second, { site: 'a', inserted: 1, updated: 1 });

        const rows = await listArticles(store.db, 'a');
        const one = rows.find((r) => r.page_key === '/one')!;
        assert.deepEqual(
          { ...one },
          {
            site: 'a',
            page_key: '/one',
            url: '/one',
            title: 'One again',
            description: null,
            image: null,
            section: null,
            tags: '[]',
            published_at: '2026-01-05T17:00:00.000Z',
            body: null,
            published: 1,
            source: 'owner',
            created_at: '2026-02-01T00:00:00.000Z',
            updated_at: '2026-02-01T00:01:00.000Z',
          },
        );
        assert.deepEqual(rows.map((r) => r.page_key), ['/one', '/three', '/two']);
        assert.equal(await countArticles(store.db, 'a'), 3);
      });

      test('an upsert that fails mid-transaction writes nothing', async () => {
        // 150 rows go in two INSERT chunks; a NULL title in the second chunk fails after the first chunk ran.
        const articles = Array.from({ length: 150 }, (_, i) => ({ url: `/bulk/${i}`, title: `Bulk ${i}` }));
        const parsed = ArticlesUpsertSchema.parse({ site: 'mid', articles });
        (parsed.articles[120] as { title: unknown }).title = null;
        await assert.rejects(new ArticlesService(store, clock).upsert(parsed));
        assert.equal(await countArticles(store.db, 'mid'), 0);
      });
    });
  });
}
