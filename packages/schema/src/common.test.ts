import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nulCharacterPaths, unpairedSurrogatePaths } from './common.ts';

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

test('unpairedSurrogatePaths names strings with a lone high or low surrogate, keys included; pairs (emoji) are fine', () => {
  assert.deepEqual(unpairedSurrogatePaths({ body: 'x\ud800y', name: 'end\ud83d', ok: 'smile 😀', tags: ['\udc00start'] }), ['body', 'name', 'tags.0']);
  assert.deepEqual(unpairedSurrogatePaths({ 'k\udfff': 'v' }), ['k\udfff']);
  assert.deepEqual(unpairedSurrogatePaths({ body: '😀😀 \ud83d\ude00', n: 1 }), []);
});
