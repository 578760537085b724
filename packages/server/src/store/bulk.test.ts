import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from './store.ts';
import { dialectsUnderTest, skipReason } from '../test/helpers.ts';
import { MAX_PARAMETERS, insertMany, paddedInChunks, powerOfTwoPieces } from './bulk.ts';

describe('bulk statement shapes', () => {
  test('pieces cover every item once, in order, in power-of-two sizes no bigger than the limit', () => {
    for (const [total, max] of [[0, 8], [1, 8], [937, 1638], [5000, 1638], [4096, 4096], [70_000, 3276]] as const) {
      let next = 0;
      const sizes = new Set<number>();
      for (const { start, size } of powerOfTwoPieces(total, max)) {
        assert.equal(start, next);
        assert.ok(size <= max && (size & (size - 1)) === 0, `${size} for ${total}/${max}`);
        sizes.add(size);
        next += size;
      }
      assert.equal(next, total);
      // A handful of distinct statement texts whatever the count.
      assert.ok(sizes.size <= Math.log2(max) + 1);
    }
  });

  test('IN lists are padded to power-of-two lengths with their own values', () => {
    assert.deepEqual([...paddedInChunks(['a', 'b', 'c'], 512)], [['a', 'b', 'c', 'c']]);
    assert.deepEqual([...paddedInChunks(['a', 'b', 'c', 'd', 'e'], 2)], [['a', 'b'], ['c', 'd'], ['e']]);
    assert.deepEqual([...paddedInChunks([], 512)], []);
  });
});

for (const dialect of await dialectsUnderTest()) {
  describe(`insertMany on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
    });
    after(() => dispose?.());

    test('more rows than one statement may bind go in several, and conflicts are skipped', async () => {
      const columns = 6;
      // Past twice what one statement may bind: a chunk over the limit would fail ("too many variables").
      const rows = Math.floor(MAX_PARAMETERS[dialect.name] / columns) * 2 + 700;
      const row = (i: number) => ({ site: 'bulk', source: 'disqus', source_id: String(i), comment_id: null, author_url: i % 2 ? 'https://a.example/' : null, imported_at: '2026-01-01T00:00:00.000Z' });
      await insertMany(store.db, dialect.name, 'import_sources', Array.from({ length: rows }, (_, i) => row(i)), ['site', 'source', 'source_id']);
      // Again, overlapping: only the new ones are added.
      await insertMany(store.db, dialect.name, 'import_sources', Array.from({ length: 100 }, (_, i) => row(rows - 50 + i)), ['site', 'source', 'source_id']);
      const stored = await store.db.selectFrom('import_sources').select(['source_id', 'author_url']).where('site', '=', 'bulk').execute();
      assert.equal(stored.length, rows + 50);
      assert.equal(stored.find((r) => r.source_id === '7')?.author_url, 'https://a.example/');
      assert.equal(stored.find((r) => r.source_id === '8')?.author_url, null);
    });
  });
}
