import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nulCharacterPaths } from './common.ts';

test('nulCharacterPaths names every string holding U+0000, keys included, at any depth', () => {
  assert.deepEqual(nulCharacterPaths({ author: { name: 'x\u0000' }, body: 'fine', tags: ['a', 'b\u0000'] }), ['author.name', 'tags.1']);
  assert.deepEqual(nulCharacterPaths({ 'k\u0000': 'v' }), ['k\\u0000']);
  assert.deepEqual(nulCharacterPaths('\u0000'), ['']);
  assert.deepEqual(nulCharacterPaths({ body: 'no nul here', n: 1, list: [null, true] }), []);
  // Deep JSON does not overflow the stack.
  let deep: unknown = 'x\u0000';
  for (let n = 0; n < 100_000; n++) deep = [deep];
  assert.equal(nulCharacterPaths(deep).length, 1);
});
