import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ulidAfter } from './ulid-after.ts';

test('ulidAfter is the next ULID in sort order, carrying over Z', () => {
  assert.equal(ulidAfter('01ARZ3NDEKTSV4RRFFQ69G5FAV'), '01ARZ3NDEKTSV4RRFFQ69G5FAW');
  assert.equal(ulidAfter('01ARZ3NDEKTSV4RRFFQ69G5FAZ'), '01ARZ3NDEKTSV4RRFFQ69G5FB0');
  assert.equal(ulidAfter('01ARZ3NDEKTSV4RRFFQ69G5FZZ'), '01ARZ3NDEKTSV4RRFFQ69G5G00');
  for (const id of ['01ARZ3NDEKTSV4RRFFQ69G5FAV', '01ARZ3NDEKTSV4RRFFQ69G5FZZ']) assert.ok(ulidAfter(id) > id);
  assert.throws(() => ulidAfter('ZZZZZZZZZZZZZZZZZZZZZZZZZZ'));
});
