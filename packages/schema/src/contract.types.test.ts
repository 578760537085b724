import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callApi, type ApiTarget } from './client.ts';
import type { CommentThread } from './comment.ts';
import type { ApiContract, ApiResponse } from './contract.ts';

/**
 * Never called: `tsc` (the package's typecheck) checks it. Each `@ts-expect-error` line must BE a
 * type error, so a contract or client that stops catching the mistake fails the typecheck.
 */
async function misuses(target: ApiTarget): Promise<void> {
  const thread: CommentThread = await callApi(target, 'GET /api/comments', { query: { page: '/a' } });
  const query: ApiContract['GET /api/comments']['query'] = { page: thread.page, sort: 'newest' };
  await callApi(target, 'GET /api/comments', { query, signal: AbortSignal.timeout(1) });

  // @ts-expect-error a route the contract does not have
  await callApi(target, 'GET /api/nope');
  // @ts-expect-error the method is part of the route
  await callApi(target, '/api/comments', { query: { page: '/a' } });
  // @ts-expect-error the query's required `page` is missing
  await callApi(target, 'GET /api/comments', { query: {} });
  // @ts-expect-error a sort the API does not know
  await callApi(target, 'GET /api/comments', { query: { page: '/a', sort: 'random' } });
  // @ts-expect-error GET /api/comments takes no body
  await callApi(target, 'GET /api/comments', { query: { page: '/a' }, body: {} });
  // @ts-expect-error the body is required
  await callApi(target, 'POST /api/counts');
  // @ts-expect-error a body of the wrong shape: `pages` is a list
  await callApi(target, 'POST /api/counts', { body: { pages: '/a' } });
  // @ts-expect-error the path parameter is required
  await callApi(target, 'GET /api/comments/{id}/replies', {});
  // @ts-expect-error a moderation action that does not exist
  await callApi(target, 'POST /api/admin/comments/{id}/{action}', { params: { id: 'x', action: 'explode' } });

  const counts = await callApi(target, 'POST /api/counts', { body: { pages: ['/a'] } });
  assert.ok(counts.counts);
  // @ts-expect-error the answer is `{ site, counts }`, not a list
  assert.ok(counts.items);
  // @ts-expect-error a 204 answers nothing to read
  assert.ok((await callApi(target, 'DELETE /api/admin/bans/{id}', { params: { id: 'x' } })).id);
  const logout: ApiResponse<'POST /api/admin/logout'> = undefined;
  // @ts-expect-error one route's answer is not another's
  const wrong: ApiResponse<'GET /api/comments'> = counts;
  assert.ok([logout, wrong]);
}

test('the misuses above are type errors (checked by tsc, not here)', () => {
  assert.equal(typeof misuses, 'function');
});
