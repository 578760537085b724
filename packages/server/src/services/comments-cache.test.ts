import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CachedBody, THREAD_CACHE_DEFAULTS, ThreadCache, normaliseQuery } from './comments-cache.ts';

const body = (size: number) => new CachedBody(Buffer.alloc(size, 'x'));

describe('the first-page cache', () => {
  test('aliases of one query (+ or %20, parameter order) are one alias, and all of them hit', () => {
    const cache = new ThreadCache();
    const page = body(100);
    cache.set('default', '/a b', 'k', page, 0, '?page=%2Fa+b&limit=20');
    for (const raw of ['?page=%2Fa+b&limit=20', '?limit=20&page=%2Fa%20b', '?limit=20&page=/a%20b']) assert.equal(cache.getByRaw(raw), page, raw);
    assert.equal(cache.size.aliases, 1);
    assert.equal(normaliseQuery('?b=2&a=1&a=0'), 'a=1&a=0&b=2');
    assert.equal(cache.getByRaw('?page=%2Fa+c&limit=20'), undefined);
  });

  test('bounded by bytes: 50,000 distinct pages of 4 kB keep at most maxBytes, oldest first out', () => {
    const cache = new ThreadCache();
    for (let n = 0; n < 50_000; n++) cache.set('default', `/story-${n}`, 'k', body(4096), 0, `?page=/story-${n}`);
    const { bytes, entries, aliases, aliasBytes } = cache.size;
    assert.ok(bytes <= THREAD_CACHE_DEFAULTS.maxBytes, `${bytes} bytes`);
    assert.ok(entries < 50_000 && entries > 1000, `${entries} entries`);
    assert.ok(aliases <= THREAD_CACHE_DEFAULTS.maxAliases && aliasBytes <= THREAD_CACHE_DEFAULTS.maxAliasBytes);
    assert.equal(cache.get('default', '/story-0', 'k'), undefined);
    assert.ok(cache.get('default', '/story-49999', 'k'));
  });

  test('what it counts is what it holds: small bodies and their gzip own their memory, not a shared pool block', () => {
    // Shaped like the empty first pages a flood of distinct query strings creates.
    const cache = new ThreadCache();
    const held: CachedBody[] = [];
    for (let n = 0; n < THREAD_CACHE_DEFAULTS.maxEntries; n++) {
      const page = new CachedBody(Buffer.from(JSON.stringify({ comments: [], total: 0, page: `/story ${n}` })));
      void page.gzip;
      cache.set('default', `/story ${n}`, 'k', page, 0);
      held.push(page);
    }
    const counted = held.reduce((sum, page) => sum + page.bytes.byteLength + page.gzip.byteLength, 0);
    const retained = held.reduce((sum, page) => sum + page.bytes.buffer.byteLength + page.gzip.buffer.byteLength, 0);
    assert.equal(retained, counted, `${retained} bytes of blocks kept for ${counted} bytes of bodies`);
    assert.equal(cache.size.entries, THREAD_CACHE_DEFAULTS.maxEntries);
  });

  test('a gzip copy made later counts too, and a recently read entry outlives older ones', () => {
    const cache = new ThreadCache({ maxBytes: 3.5 * 1024 * 1024 });
    const random = () => new CachedBody(Buffer.from(Array.from({ length: 1024 * 1024 }, () => Math.floor(Math.random() * 256))));
    const first = random();
    cache.set('s', '/1', 'k', first, 0);
    cache.set('s', '/2', 'k', random(), 0);
    assert.equal(cache.get('s', '/1', 'k'), first); // now the most recent
    const before = cache.size.bytes;
    void first.gzip; // incompressible: about 1 MB more
    assert.ok(cache.size.bytes > before + 1_000_000);
    cache.set('s', '/3', 'k', random(), 0);
    assert.equal(cache.get('s', '/2', 'k'), undefined);
    assert.equal(cache.get('s', '/1', 'k'), first);
    assert.ok(cache.size.bytes <= 3.5 * 1024 * 1024);
  });

  test('invalidation drops the page, its aliases stop hitting, and a read begun before it is not stored', () => {
    const cache = new ThreadCache();
    const generation = cache.generation('s', '/p');
    cache.set('s', '/p', 'k', body(10), generation, '?page=/p');
    cache.invalidate('s', '/p');
    assert.equal(cache.getByRaw('?page=/p'), undefined);
    cache.set('s', '/p', 'k', body(10), generation, '?page=/p');
    assert.equal(cache.get('s', '/p', 'k'), undefined);
    assert.deepEqual([cache.size.entries, cache.size.bytes], [0, 0]);
  });
});
