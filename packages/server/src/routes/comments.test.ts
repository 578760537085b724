import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CommentPermalinkSchema,
  CommentThreadSchema,
  CommentWithSourceSchema,
  DeleteCommentResultSchema,
  ErrorBodySchema,
  LikeResultSchema,
  PostedCommentSchema,
  REPLIES_PER_BRANCH_MAX,
  RepliesResponseSchema,
  type CommentNode,
  type ErrorCode,
  type PostedComment,
} from '@parley/schema';
import { createApp } from '../app.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../test/helpers.ts';

async function expectError(response: Response, status: number, code: ErrorCode, message?: RegExp) {
  const body = ErrorBodySchema.parse(await response.json());
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error.code, code);
  if (message) assert.match(body.error.message, message);
}

function flatten(nodes: readonly CommentNode[]): CommentNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.replies)]);
}

for (const dialect of await dialectsUnderTest()) {
  describe(`comments API (reader experience) on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const clock = manualClock('2026-03-01T00:00:00.000Z');

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      // Bulk threads (45 top-level comments, branches of 130 replies) from one client: limits out of the way here;
      // moderation.test.ts covers them.
      const bulk = { max: 100_000, windowSeconds: 60 };
      const sites = SiteRegistry.fromFile(parseSitesConfig({ sites: [{ id: 't', rateLimits: { perIp: bulk, perAuthor: bulk, perPage: bulk } }] }, 'test'));
      app = createApp({ store, clock, sites, config: { adminToken: undefined, embedFile: '/nonexistent', trustProxy: true, secret: 'test-secret' }, logError: () => {} });
    });
    after(async () => dispose?.());

    const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      app.request(path, { method, headers: { ...(body === undefined ? {} : jsonHeaders), ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const post = async (page: string, body: string, extra: Record<string, unknown> = {}): Promise<PostedComment> => {
      const response = await send('POST', '/api/comments', { site: 't', page, body, ...extra });
      assert.equal(response.status, 201, await response.clone().text());
      return PostedCommentSchema.parse(await response.json());
    };
    const thread = async (query: string) => {
      const response = await app.request(`/api/comments?site=t&${query}`);
      assert.equal(response.status, 200, await response.clone().text());
      return CommentThreadSchema.parse(await response.json());
    };
    const tokenHeader = (token: string) => ({ 'Parley-Edit-Token': token });

    test('post returns html, source, token and window; lists omit the body and the email', async () => {
      const posted = await post('/render', 'Hello **bold** <script>x</script>', { author: { name: 'Ann', email: 'Ann@Example.org' } });
      assert.equal(posted.html, '<p>Hello <strong>bold</strong> &lt;script&gt;x&lt;/script&gt;</p>');
      assert.equal(posted.body, 'Hello **bold** <script>x</script>');
      assert.equal(posted.editableUntil, '2026-03-01T00:15:00.000Z');
      assert.match(posted.author.avatar, /^[0-9a-f]{16}$/);
      assert.equal(posted.author.gravatar, undefined);
      const listed = await app.request('/api/comments?site=t&page=/render');
      const text = await listed.text();
      assert.ok(!text.includes('"body"') && !text.toLowerCase().includes('ann@example.org') && !text.includes(posted.editToken));
      const withGravatar = await thread('page=/render&avatars=gravatar');
      // sha256("ann@example.org")
      assert.equal(withGravatar.comments[0]!.author.gravatar, createHash('sha256').update('ann@example.org').digest('hex'));
      assert.match(withGravatar.comments[0]!.author.gravatar ?? '', /^[0-9a-f]{64}$/);
      // The same author gets the same seed; another gets another.
      const again = await post('/render', 'again', { author: { email: 'ann@example.org' } });
      const other = await post('/render', 'other', { author: { name: 'Bob' } });
      assert.equal(again.author.avatar, posted.author.avatar);
      assert.notEqual(other.author.avatar, posted.author.avatar);
    });

    test('edit within the window; wrong or missing token 403; after the window 403 edit_window_closed', async () => {
      const posted = await post('/edit', 'first');
      await expectError(await send('PATCH', `/api/comments/${posted.id}`, { site: 't', body: 'x' }), 403, 'forbidden', /does not match/);
      await expectError(await send('PATCH', `/api/comments/${posted.id}`, { site: 't', body: 'x' }, tokenHeader('A'.repeat(43))), 403, 'forbidden');
      await expectError(await send('PATCH', `/api/comments/${posted.id}`, { site: 'other', body: 'x' }, tokenHeader(posted.editToken)), 404, 'not_found');
      await expectError(await send('PATCH', '/api/comments/01J00000000000000000000000', { site: 't', body: 'x' }, tokenHeader(posted.editToken)), 404, 'not_found');
      await expectError(await send('PATCH', `/api/comments/${posted.id}`, { site: 't', body: '  ' }, tokenHeader(posted.editToken)), 400, 'validation_failed');
      clock.advance(14 * 60_000);
      const edited = await send('PATCH', `/api/comments/${posted.id}`, { site: 't', body: '*second*' }, tokenHeader(posted.editToken));
      assert.equal(edited.status, 200);
      const dto = CommentWithSourceSchema.parse(await edited.json());
      assert.equal(dto.html, '<p><em>second</em></p>');
      assert.equal(dto.body, '*second*');
      assert.equal(dto.editedAt, clock.now().toISOString());
      clock.advance(60_000);
      await expectError(
        await send('PATCH', `/api/comments/${posted.id}`, { site: 't', body: 'third' }, tokenHeader(posted.editToken)),
        403,
        'edit_window_closed',
        /^Comments can be edited for 15 minutes after posting$/,
      );
      await expectError(await send('DELETE', `/api/comments/${posted.id}?site=t`, undefined, tokenHeader(posted.editToken)), 403, 'edit_window_closed');
      assert.equal((await thread('page=/edit')).comments[0]!.html, '<p><em>second</em></p>');
    });

    test('delete: placeholder when it has replies, removal otherwise; counts and total skip placeholders', async () => {
      const parent = await post('/del', 'parent', { author: { name: 'P' } });
      const reply = await post('/del', 'reply', { parentId: parent.id });
      const lone = await post('/del', 'lone');
      const placeholder = await send('DELETE', `/api/comments/${parent.id}?site=t`, undefined, tokenHeader(parent.editToken));
      assert.deepEqual(DeleteCommentResultSchema.parse(await placeholder.json()), { id: parent.id, status: 'deleted' });
      const removed = await send('DELETE', `/api/comments/${lone.id}?site=t`, undefined, tokenHeader(lone.editToken));
      assert.deepEqual(await removed.json(), { id: lone.id, status: 'removed' });
      const after = await thread('page=/del');
      assert.equal(after.total, 1);
      assert.deepEqual(after.comments.map((c) => [c.id, c.status, c.html, c.author.name, c.replyCount]), [[parent.id, 'deleted', '', null, 1]]);
      assert.equal(after.comments[0]!.replies[0]!.id, reply.id);
      const counts = await send('POST', '/api/counts', { site: 't', pages: ['/del'] });
      assert.deepEqual(await counts.json(), { counts: { '/del': 1 } });
      // A placeholder can't be edited, deleted again or replied to.
      await expectError(await send('PATCH', `/api/comments/${parent.id}`, { site: 't', body: 'x' }, tokenHeader(parent.editToken)), 404, 'not_found');
      await expectError(await send('POST', '/api/comments', { site: 't', page: '/del', parentId: parent.id, body: 'x' }), 400, 'parent_not_found');
      // Deleting the last reply removes the reply and the placeholder left without replies.
      assert.deepEqual(await (await send('DELETE', `/api/comments/${reply.id}?site=t`, undefined, tokenHeader(reply.editToken))).json(), { id: reply.id, status: 'removed' });
      assert.deepEqual((await thread('page=/del')).comments, []);
    });

    test('likes: toggle, same reader twice counts once, per-IP cap', async () => {
      const c = await post('/likes', 'like me');
      const like = async (readerId: string, liked: boolean, ip = '203.0.113.1') => {
        const response = await send('POST', `/api/comments/${c.id}/like`, { site: 't', readerId, liked }, { 'x-forwarded-for': ip });
        assert.equal(response.status, 200, await response.clone().text());
        return LikeResultSchema.parse(await response.json());
      };
      const readers = ['reader-aaaaaaaaaaaa1', 'reader-aaaaaaaaaaaa2', 'reader-aaaaaaaaaaaa3', 'reader-aaaaaaaaaaaa4'];
      assert.deepEqual(await like(readers[0]!, true), { id: c.id, likes: 1, liked: true });
      assert.deepEqual(await like(readers[0]!, true), { id: c.id, likes: 1, liked: true });
      assert.deepEqual(await like(readers[1]!, true), { id: c.id, likes: 2, liked: true });
      assert.deepEqual(await like(readers[2]!, true), { id: c.id, likes: 3, liked: true });
      // Fourth reader from the same address: accepted, not counted.
      assert.deepEqual(await like(readers[3]!, true), { id: c.id, likes: 3, liked: true });
      assert.deepEqual(await like(readers[3]!, false), { id: c.id, likes: 3, liked: false });
      // From another address it counts.
      assert.deepEqual(await like(readers[3]!, true, '198.51.100.7'), { id: c.id, likes: 4, liked: true });
      assert.deepEqual(await like(readers[0]!, false), { id: c.id, likes: 3, liked: false });
      assert.deepEqual(await like(readers[0]!, false), { id: c.id, likes: 3, liked: false });
      assert.equal((await thread('page=/likes')).comments[0]!.likes, 3);
      const stored = await store.db.selectFrom('comment_likes').selectAll().where('comment_id', '=', c.id).execute();
      assert.ok(stored.every((row) => !row.ip_hash.includes('203.0.113') && !row.reader_hash.includes('reader-')), 'no raw IPs or reader ids');
      await expectError(await send('POST', `/api/comments/${c.id}/like`, { site: 't', readerId: 'short', liked: true }), 400, 'validation_failed');
      await expectError(await send('POST', '/api/comments/01J00000000000000000000000/like', { site: 't', readerId: readers[0], liked: true }), 404, 'not_found');
    });

    test('sorting and cursor pagination over 45 top-level comments with replies', async () => {
      const tops: PostedComment[] = [];
      for (let i = 0; i < 45; i++) {
        clock.advance(1000);
        tops.push(await post('/many', `top ${i}`));
        if (i % 5 === 0) await post('/many', `reply to ${i}`, { parentId: tops[i]!.id });
      }
      // Likes for "top": comment 7 gets 2, comment 30 gets 1.
      for (const [index, readers] of [[7, 2], [30, 1]] as const) {
        for (let r = 0; r < readers; r++) {
          await send('POST', `/api/comments/${tops[index]!.id}/like`, { site: 't', readerId: `sorter-reader-${r}-xxxx`, liked: true }, { 'x-forwarded-for': `10.0.0.${r}` });
        }
      }
      const walk = async (sort: string) => {
        const ids: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await thread(`page=/many&sort=${sort}&limit=20${cursor ? `&cursor=${cursor}` : ''}`);
          assert.equal(page.total, 54);
          ids.push(...page.comments.map((c) => c.id));
          for (const c of page.comments) assert.equal(c.replyCount, c.replies.length);
          cursor = page.nextCursor;
          pages++;
        } while (cursor);
        assert.equal(pages, 3);
        return ids;
      };
      const oldest = await walk('oldest');
      assert.deepEqual(oldest, tops.map((t) => t.id));
      assert.deepEqual(await walk('newest'), [...oldest].reverse());
      const top = await walk('top');
      assert.deepEqual(top.slice(0, 2), [tops[7]!.id, tops[30]!.id]);
      assert.deepEqual(top.slice(2), tops.map((t) => t.id).filter((id) => id !== tops[7]!.id && id !== tops[30]!.id));
      const first = await thread('page=/many');
      await expectError(await app.request(`/api/comments?site=t&page=/many&sort=newest&cursor=${first.nextCursor}`), 400, 'validation_failed', /cursor/);
      await expectError(await app.request('/api/comments?site=t&page=/many&cursor=bm90LWpzb24'), 400, 'validation_failed', /cursor/);
      await expectError(await app.request('/api/comments?site=t&page=/many&limit=51'), 400, 'validation_failed');
      await expectError(await app.request('/api/comments?site=t&page=/many&sort=best'), 400, 'validation_failed');
    });

    test('branches: first REPLIES_PER_BRANCH_MAX descendants inline, the rest from /replies; permalinks', async () => {
      const root = await post('/branch', 'root');
      let parentId = root.id;
      const descendants: string[] = [];
      for (let i = 0; i < REPLIES_PER_BRANCH_MAX + 30; i++) {
        clock.advance(10);
        // A chain for the first 3, then flat replies under the third.
        const reply = await post('/branch', `reply ${i}`, { parentId });
        descendants.push(reply.id);
        if (i < 3) parentId = reply.id;
      }
      const page = await thread('page=/branch');
      const branch = page.comments[0]!;
      assert.equal(branch.replyCount, REPLIES_PER_BRANCH_MAX + 30);
      const inline = flatten(branch.replies).map((c) => c.id);
      assert.deepEqual(inline, descendants.slice(0, REPLIES_PER_BRANCH_MAX));

      const collected: string[] = [];
      let cursor: string | null = null;
      do {
        const response = await app.request(`/api/comments/${root.id}/replies?site=t${cursor ? `&cursor=${cursor}` : ''}`);
        const body = RepliesResponseSchema.parse(await response.json());
        collected.push(...flatten(body.comments).map((c) => c.id));
        cursor = body.nextCursor;
      } while (cursor);
      assert.deepEqual(collected, descendants);
      // Descendants of a nested comment only.
      const nested = RepliesResponseSchema.parse(await (await app.request(`/api/comments/${descendants[1]}/replies?site=t`)).json());
      assert.deepEqual(flatten(nested.comments).map((c) => c.id), descendants.slice(2, 2 + REPLIES_PER_BRANCH_MAX));
      await expectError(await app.request(`/api/comments/${root.id}/replies?site=t&cursor=nope`), 400, 'validation_failed');

      // Permalink to a reply beyond the inline ones: its branch, with it and its ancestors.
      const deep = descendants[REPLIES_PER_BRANCH_MAX + 20]!;
      const link = CommentPermalinkSchema.parse(await (await app.request(`/api/comments/${deep}?site=t`)).json());
      assert.equal(link.comment.id, root.id);
      assert.equal(link.page, '/branch');
      assert.ok(flatten(link.comment.replies).some((c) => c.id === deep));
      assert.equal(link.position.cursor, null);
      await expectError(await app.request(`/api/comments/${deep}?site=elsewhere`), 404, 'not_found');
      await expectError(await app.request('/api/comments/not-an-id?site=t'), 400, 'validation_failed');
    });

    test('permalink position: the cursor starts a page with that branch', async () => {
      const posted: PostedComment[] = [];
      for (let i = 0; i < 30; i++) {
        clock.advance(1000);
        posted.push(await post('/perma', `c${i}`));
      }
      const target = posted[24]!;
      const link = CommentPermalinkSchema.parse(await (await app.request(`/api/comments/${target.id}?site=t&sort=newest`)).json());
      assert.ok(link.position.cursor);
      const page = await thread(`page=/perma&sort=newest&limit=3&cursor=${link.position.cursor}`);
      assert.equal(page.comments[0]!.id, target.id);
    });

    test('preview renders without writing; invalid posts write nothing', async () => {
      const before = await store.db.selectFrom('comment_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const beforeComments = await store.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const preview = await send('POST', '/api/preview', { site: 't', body: '**hi** [x](javascript:alert(1))' });
      assert.equal(preview.status, 200);
      assert.deepEqual(await preview.json(), { html: '<p><strong>hi</strong> [x](javascript:alert(1))</p>' });
      await expectError(await send('POST', '/api/preview', { site: 't', body: '' }), 400, 'validation_failed');
      await expectError(await app.request('/api/preview', { method: 'POST', headers: jsonHeaders, body: '{' }), 400, 'invalid_json');
      await expectError(await send('POST', '/api/comments', { site: 't', page: '/x', parentId: '01J00000000000000000000000', body: 'orphan' }), 400, 'parent_not_found');
      const afterEvents = await store.db.selectFrom('comment_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const afterComments = await store.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(afterEvents.n), Number(before.n));
      assert.equal(Number(afterComments.n), Number(beforeComments.n));
    });

    test('CORS preflight allows PATCH, DELETE and the edit-token header', async () => {
      const response = await app.request('/api/comments/01J00000000000000000000000', {
        method: 'OPTIONS',
        headers: { origin: 'https://news.example', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'content-type, parley-edit-token' },
      });
      assert.ok(response.status < 300);
      assert.match(response.headers.get('access-control-allow-methods') ?? '', /PATCH/);
      assert.match(response.headers.get('access-control-allow-methods') ?? '', /DELETE/);
      assert.match(response.headers.get('access-control-allow-headers') ?? '', /Parley-Edit-Token/i);
    });
  });
}
