import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorBodySchema, PostedCommentSchema } from '@parley/schema';
import { createApp } from '../app.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../test/helpers.ts';
import { InProcessNotifier, type Change } from './live/notifier.ts';
import { IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_TTL_MS, claimIdempotencyKey, pruneIdempotencyKeys, runIdempotent } from './idempotency.ts';

async function commentsOn(store: Store, page: string): Promise<number> {
  const row = await store.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('page', '=', page).executeTakeFirstOrThrow();
  return Number(row.n);
}

for (const dialect of await dialectsUnderTest()) {
  describe(`Idempotency-Key on POST /api/comments on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const clock = manualClock();

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      app = createApp({ store, clock, config: { adminToken: undefined, embedFile: '/nonexistent' }, logError: () => {} });
    });
    after(async () => dispose?.());

    const post = (body: unknown, key?: string) =>
      app.request('/api/comments', { method: 'POST', headers: { ...jsonHeaders, ...(key ? { 'idempotency-key': key } : {}) }, body: JSON.stringify(body) });

    test('a repeat answers the first result (status and body) without posting again', async () => {
      const body = { page: '/idem', body: 'only once', author: { name: 'ann' } };
      const first = await post(body, 'key-1');
      assert.equal(first.status, 201);
      const firstBody = PostedCommentSchema.parse(await first.json());
      const again = await post(body, 'key-1');
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(PostedCommentSchema.parse(await again.json()), firstBody);
      assert.equal(await commentsOn(store, '/idem'), 1);
      // Without a key, or with another, it is a new comment.
      assert.equal((await post({ ...body, body: 'second' }, 'key-2')).status, 201);
      assert.equal(await commentsOn(store, '/idem'), 2);
    });

    test('the same key for another body is 422, a repeat still in flight is 409 + Retry-After, a bad key is 400', async () => {
      await post({ page: '/idem-2', body: 'first' }, 'key-3');
      const other = await post({ page: '/idem-2', body: 'something else' }, 'key-3');
      assert.equal(other.status, 422);
      assert.equal(ErrorBodySchema.parse(await other.json()).error.code, 'idempotency_conflict');

      const body = { page: '/idem-2', body: 'slow' };
      // The first request holds the claim (it is still being answered)…
      const { NewCommentSchema } = await import('@parley/schema');
      await claimIdempotencyKey(store.db, 'default', 'key-4', (await import('./idempotency.ts')).requestHash(NewCommentSchema.parse(body)), clock.now());
      const concurrent = await post(body, 'key-4');
      assert.equal(concurrent.status, 409);
      assert.equal(concurrent.headers.get('retry-after'), '1');
      assert.equal(ErrorBodySchema.parse(await concurrent.json()).error.code, 'idempotency_conflict');
      // …and a claim whose request died is taken over after the lease.
      clock.advance(IDEMPOTENCY_LEASE_MS);
      assert.equal((await post(body, 'key-4')).status, 201);

      const bad = await post(body, 'spaces are not allowed');
      assert.equal(bad.status, 400);
      assert.equal(ErrorBodySchema.parse(await bad.json()).error.issues?.[0]?.path, 'Idempotency-Key');
    });

    test("the answer is kept in the comment's own transaction: a failure after the commit leaves a replay, never a second comment", async () => {
      // A notifier that fails once after the commit stands for anything that goes wrong between the
      // comment's commit and the answer (the process dying, a lost connection): the key must not be
      // released with the comment already stored, or the client's retry would post it twice.
      class FailingOnce extends InProcessNotifier {
        armed = true;
        override publish(change: Change): void {
          if (this.armed) {
            this.armed = false;
            throw new Error('after the commit');
          }
          super.publish(change);
        }
      }
      const notifier = new FailingOnce();
      const failing = createApp({ store, clock, notifier, config: { adminToken: undefined, embedFile: '/nonexistent' }, logError: () => {} });
      const body = { page: '/idem-crash', body: 'stored once', author: { name: 'ann', email: 'ann@example.com' } };
      const send = () => failing.request('/api/comments', { method: 'POST', headers: { ...jsonHeaders, 'idempotency-key': 'key-crash' }, body: JSON.stringify(body) });
      assert.equal((await send()).status, 500);
      assert.equal(notifier.armed, false);
      assert.equal(await commentsOn(store, '/idem-crash'), 1);
      const retry = await send();
      assert.equal(retry.status, 201);
      assert.equal(retry.headers.get('idempotent-replayed'), 'true');
      const answer = PostedCommentSchema.parse(await retry.json());
      assert.equal(answer.body, 'stored once');
      assert.ok(answer.authorToken, 'the kept answer is the whole answer, author token included');
      assert.equal(await commentsOn(store, '/idem-crash'), 1);
    });

    test('a failed first attempt releases the key; old keys are pruned after 24 h', async () => {
      await assert.rejects(runIdempotent(store.db, clock.now(), { site: 'default', key: 'key-5', request: {} }, async () => {
        throw new Error('boom');
      }), /boom/);
      const retried = await runIdempotent(store.db, clock.now(), { site: 'default', key: 'key-5', request: {} }, async () => ({ status: 201, body: { ok: true } }));
      assert.deepEqual(retried, { status: 201, response: '{"ok":true}', replayed: false });

      const before = await store.db.selectFrom('idempotency_keys').select('key').execute();
      assert.ok(before.length >= 5);
      assert.equal(await pruneIdempotencyKeys(store.db, new Date(clock.now().getTime() + IDEMPOTENCY_TTL_MS - 1)), before.length - 3);
      assert.equal(await pruneIdempotencyKeys(store.db, new Date(clock.now().getTime() + IDEMPOTENCY_TTL_MS + 1)), 3);
    });
  });
}
