import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PostedCommentSchema } from '@parley/schema';
import { ulid } from 'ulidx';
import { createApp } from '../../app.ts';
import { insertEvent, listEventsAfter } from '../../store/comments.repository.ts';
import type { Store } from '../../store/store.ts';
import { dialectsUnderTest, jsonHeaders, skipReason } from '../../test/helpers.ts';

for (const dialect of await dialectsUnderTest()) {
  describe(`the comment lifecycle's stream events on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      app = createApp({ store, config: { adminToken: undefined, embedFile: '/nonexistent' }, logError: () => {} });
    });
    after(async () => dispose?.());

    test("a page's event ids grow in commit order, even after an event from a process whose clock runs ahead", async () => {
      // Another instance, its clock a minute ahead, wrote the page's newest event. A reader's stream
      // cursor sits on that event: whatever this instance writes next must sort after it, or the
      // reader's next replay ("events after my cursor") would skip it.
      const ahead = ulid(Date.now() + 60_000);
      await insertEvent(store.db, { id: ahead, site: 'default', page: '/order', type: 'comment.created', comment_id: 'elsewhere', payload: '{}', created_at: new Date().toISOString() });
      const posted = await app.request('/api/comments', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ page: '/order', body: 'after the cursor' }) });
      assert.equal(posted.status, 201);
      const { id } = PostedCommentSchema.parse(await posted.json());
      const after = await listEventsAfter(store.db, 'default', '/order', ahead);
      assert.deepEqual(after.map((event) => event.comment_id), [id]);
    });
  });
}
