import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ulid } from 'ulidx';
import { LiveFeed, pruneCommentEvents, REPLAY_MAX_AGE_MS, REPLAY_MAX_EVENTS, type LiveEvent } from '../services/live/feed.ts';
import { InProcessNotifier } from '../services/live/notifier.ts';
import { createServices } from '../services/index.ts';
import { lastEventId } from '../store/comments.repository.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../test/helpers.ts';
import { bearer, postComment, readFramesUntil, securityApp } from './helpers.ts';

const gravatarOf = (email: string) => createHash('sha256').update(email).digest('hex');
const ZERO_ID = '00000000000000000000000000';

/**
 * Issue 14, point 1: the live-update replay tells only what is public now. Comments marked spam,
 * rejected, deleted by their author, erased by a privacy request, or edited, are posted, streamed,
 * then taken out of view; a replay from the very first event must carry none of what they said.
 */
for (const dialect of await dialectsUnderTest()) {
  describe(`security: live replay on ${dialect.name}`, { skip: skipReason(dialect), timeout: 180_000 }, () => {
    let store: Store;
    let dispose: () => Promise<void>;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
    });
    after(async () => dispose?.());

    test('GET /api/stream with Last-Event-ID 000… replays no removed, erased or superseded content, and no gravatar of it', async () => {
      const { app } = securityApp(store);
      const post = (body: string, email: string) => postComment(app, { body, author: { name: body.split(' ')[0], email } }, { status: 201 });
      const spam = await post('Spammy buy-my-pills', 'spam@reader.example');
      const withdrawn = await post('Withdrawn regret-this', 'withdrawn@reader.example');
      const rejected = await post('Rejected rude-words', 'rejected@reader.example');
      const erased = await post('Erased private-details', 'erased@reader.example');
      const edited = await post('Edited first-version', 'edited@reader.example');
      const kept = await post('Kept still-public', 'kept@reader.example');

      const admin = (path: string, init: RequestInit = {}) => app.request(path, { ...init, headers: { ...jsonHeaders, ...bearer, ...(init.headers as Record<string, string>) } });
      assert.equal((await admin(`/api/admin/comments/${spam.id}/spam`, { method: 'POST' })).status, 200);
      assert.equal((await admin(`/api/admin/comments/${rejected.id}/reject`, { method: 'POST' })).status, 200);
      assert.equal((await admin('/api/admin/privacy', { method: 'POST', body: JSON.stringify({ site: 'news', email: 'erased@reader.example', kind: 'delete' }) })).status, 200);
      assert.equal((await app.request(`/api/comments/${withdrawn.id}?site=news`, { method: 'DELETE', headers: { 'Parley-Edit-Token': withdrawn.editToken } })).status, 200);
      const patch = await app.request(`/api/comments/${edited.id}`, { method: 'PATCH', headers: { ...jsonHeaders, 'Parley-Edit-Token': edited.editToken }, body: JSON.stringify({ site: 'news', body: 'Edited second-version' }) });
      assert.equal(patch.status, 200);

      for (const avatars of ['gravatar', undefined] as const) {
        let sentinel: Record<string, any> | undefined;
        const response = await app.request(`/api/stream?site=news&page=%2Fp${avatars ? '&avatars=gravatar' : ''}`, { headers: { 'Last-Event-ID': ZERO_ID } });
        const frames = await readFramesUntil(
          response,
          (seen) => sentinel !== undefined && seen.some((frame) => frame.data.includes(sentinel!.id)),
          async () => {
            sentinel = await postComment(app, { body: `Sentinel ${avatars ?? 'plain'}` }, { status: 201 });
          },
        );
        const replayed = frames.slice(0, frames.findIndex((frame) => frame.data.includes(sentinel!.id)));
        const text = replayed.map((frame) => frame.data).join('\n');
        for (const secret of ['buy-my-pills', 'regret-this', 'rude-words', 'private-details', 'first-version']) {
          assert.ok(!text.includes(secret), `replay (${avatars ?? 'no avatars'}) leaks "${secret}"`);
        }
        for (const email of ['spam@reader.example', 'withdrawn@reader.example', 'rejected@reader.example', 'erased@reader.example']) {
          assert.ok(!text.includes(gravatarOf(email)), `replay leaks the gravatar hash of ${email}`);
        }
        assert.ok(text.includes('second-version'), 'edits replay with their current text');
        assert.ok(text.includes('still-public'));
        assert.equal(text.includes(gravatarOf('kept@reader.example')), avatars === 'gravatar', 'a visible author\'s hash goes only to streams that asked for it');
        // What went away is announced as removed, by id only.
        const removedIds = replayed.filter((frame) => frame.event === 'comment.deleted').map((frame) => JSON.parse(frame.data) as { id: string; status: string });
        for (const gone of [spam, rejected, erased, withdrawn]) {
          assert.ok(removedIds.some((event) => event.id === gone.id && event.status === 'removed'), `${gone.id} is announced as removed`);
        }
        assert.ok(replayed.every((frame) => frame.id! > ZERO_ID));
        assert.ok(kept.id);
      }
    });

    test('live fan-out re-reads the comment: one hidden between write and read never goes out', async () => {
      const clock = manualClock('2026-09-02T10:00:00.000Z');
      const services = createServices(store, clock);
      const notifier = new InProcessNotifier();
      const feed = new LiveFeed(store, notifier, { views: services.comments, clock });
      const received: LiveEvent[] = [];
      let wake: () => void = () => {};
      const unsubscribe = await feed.subscribe('news', '/fanout', (event) => {
        received.push(event);
        wake();
      });
      // Written by the service (which notifies its own notifier, not this one), then hidden before this feed reads.
      const hidden = await services.comments.post({ site: 'news', page: '/fanout', body: 'Hidden before-anyone-read', author: { name: 'H', email: 'h@reader.example' } }, '192.0.2.1');
      await store.db.updateTable('comments').set({ status: 'spam' }).where('id', '=', hidden.comment.id).execute();
      const shown = await services.comments.post({ site: 'news', page: '/fanout', body: 'Shown fine', author: { name: 'S', email: 's@reader.example' } }, '192.0.2.2');
      const arrived = new Promise<void>((resolve) => (wake = () => received.some((event) => event.data.includes(shown.comment.id)) && resolve()));
      notifier.publish({ id: ulid(), site: 'news', page: '/fanout' });
      await arrived;
      unsubscribe();
      const text = received.map((event) => event.gravatarData + event.data).join('\n');
      assert.ok(!text.includes('before-anyone-read'));
      assert.ok(!text.includes(gravatarOf('h@reader.example')));
      assert.ok(!received.some((event) => event.data.includes(hidden.comment.id)));
      // The plain variant never carries the gravatar hash.
      assert.ok(!received.some((event) => event.data.includes(gravatarOf('s@reader.example'))));
    });

    test(`replay is bounded: nothing older than ${REPLAY_MAX_AGE_MS / 3_600_000} h, at most ${REPLAY_MAX_EVENTS} events; pruneCommentEvents deletes the rest`, async () => {
      const clock = manualClock('2026-09-03T10:00:00.000Z');
      const services = createServices(store, clock);
      const feed = new LiveFeed(store, new InProcessNotifier(), { views: services.comments, clock });
      const old = await services.comments.post({ site: 'news', page: '/bounded', body: 'Old news' }, '192.0.2.3');
      clock.advance(REPLAY_MAX_AGE_MS + 60_000);
      const recent = await services.comments.post({ site: 'news', page: '/bounded', body: 'Fresh news' }, '192.0.2.4');
      const replay = await feed.replay('news', '/bounded', ZERO_ID);
      assert.deepEqual(replay.map((event) => JSON.parse(event.data).id), [recent.comment.id], 'the old event is outside the window');

      // Count: REPLAY_MAX_EVENTS + 5 events of one visible comment; the replay keeps the newest.
      const now = clock.now().toISOString();
      const ids = Array.from({ length: REPLAY_MAX_EVENTS + 5 }, () => ulid(clock.now().getTime()));
      ids.sort();
      for (let start = 0; start < ids.length; start += 100) {
        await store.db
          .insertInto('comment_events')
          .values(ids.slice(start, start + 100).map((id) => ({ id, site: 'news', page: '/bounded', type: 'comment.updated', comment_id: recent.comment.id, payload: '{"stale":true}', created_at: now })))
          .execute();
      }
      const capped = await feed.replay('news', '/bounded', ZERO_ID);
      assert.equal(capped.length, REPLAY_MAX_EVENTS);
      assert.equal(capped.at(-1)!.id, await lastEventId(store.db, 'news', '/bounded'), 'the newest events are the ones kept');
      assert.ok(capped.every((event) => !event.data.includes('stale')), 'never the stored payload');

      // Prune: the old event goes by age; a hidden comment's content-bearing events go; the rest stays.
      await store.db.updateTable('comments').set({ status: 'rejected' }).where('id', '=', recent.comment.id).execute();
      const kept = await services.comments.post({ site: 'news', page: '/bounded', body: 'Still here' }, '192.0.2.5');
      const pruned = await pruneCommentEvents(store.db, clock.now());
      assert.ok(pruned >= ids.length + 2);
      const left = await store.db.selectFrom('comment_events').select(['comment_id', 'type']).where('page', '=', '/bounded').execute();
      assert.deepEqual(left, [{ comment_id: kept.comment.id, type: 'comment.created' }]);
      assert.ok(old.comment.id);
    });
  });
}
