import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCommentSchema,
  AdminCommentsResponseSchema,
  AdminDeleteResultSchema,
  AdminSitesResponseSchema,
  AdminStatsSchema,
  AdminThreadSchema,
  AdminBulkResultSchema,
  AdminThreadsResponseSchema,
  BanSchema,
  CommentThreadSchema,
  ErrorBodySchema,
  PostedCommentSchema,
  type AdminComment,
  type PostedComment,
} from '@parley/schema';
import { createApp } from '../app.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import { AdminsService } from '../services/admins.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../test/helpers.ts';

const BEARER = { authorization: 'Bearer admin-token' };
const HOOK = { url: 'http://127.0.0.1:9/hook', secret: 'a-webhook-secret-of-16+' };
const EMAIL = 'mod@news.example';
const PASSWORD = 'a perfectly long password';

for (const dialect of await dialectsUnderTest()) {
  describe(`admin moderation API on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const clock = manualClock('2026-06-10T12:00:00.000Z');
    let ip = 0;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      await new AdminsService(store, clock).createOrUpdate(EMAIL, PASSWORD);
      const sites = SiteRegistry.fromFile(
        parseSitesConfig({ sites: [{ id: 'news', moderation: 'all', flagsToQueue: 2, webhooks: [HOOK] }, { id: 'blog' }] }, 'test'),
      );
      app = createApp({ store, clock, sites, config: { adminToken: 'admin-token', embedFile: '/nonexistent', trustProxy: true, secret: 'test-secret' }, logError: () => {} });
    });
    after(async () => dispose?.());

    const post = async (input: Record<string, unknown>): Promise<PostedComment> => {
      const response = await app.request('/api/comments', {
        method: 'POST',
        headers: { ...jsonHeaders, 'x-forwarded-for': `198.51.100.${++ip}` },
        body: JSON.stringify({ site: 'news', page: '/a', ...input }),
      });
      assert.ok(response.status === 201 || response.status === 202, await response.clone().text());
      return PostedCommentSchema.parse(await response.json());
    };
    const admin = (method: string, url: string, body?: unknown, headers: Record<string, string> = BEARER) =>
      app.request(`http://parley.local${url}`, { method, headers: { ...headers, ...(body === undefined ? {} : jsonHeaders) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const list = async (query: string) => {
      const response = await admin('GET', `/api/admin/comments?${query}`);
      assert.equal(response.status, 200, await response.clone().text());
      return AdminCommentsResponseSchema.parse(await response.json());
    };
    const act = async (id: string, action: string, status = 200): Promise<AdminComment> => {
      const response = await admin('POST', `/api/admin/comments/${id}/${action}`);
      assert.equal(response.status, status, await response.clone().text());
      if (status !== 200) {
        assert.equal(ErrorBodySchema.parse(await response.json()).error.code, 'validation_failed');
        return undefined as never;
      }
      return AdminCommentSchema.parse(await response.json());
    };
    const publicThread = async (page = '/a', sort = 'oldest') =>
      CommentThreadSchema.parse(await (await app.request(`/api/comments?site=news&page=${encodeURIComponent(page)}&sort=${sort}`)).json());
    const hookEvents = async () => (await store.db.selectFrom('webhook_deliveries').select('event').where('site', '=', 'news').orderBy('id').execute()).map((r) => r.event);
    const streamEvents = async (page = '/a') => (await store.db.selectFrom('comment_events').select(['type', 'comment_id']).where('site', '=', 'news').where('page', '=', page).orderBy('id').execute());

    test('no credentials: 401; the bearer token and GET /api/admin/sites', async () => {
      assert.equal((await app.request('/api/admin/comments?site=news')).status, 401);
      const sites = AdminSitesResponseSchema.parse(await (await admin('GET', '/api/admin/sites')).json());
      assert.deepEqual(sites.sites, [{ id: 'news', moderation: 'all' }, { id: 'blog', moderation: 'open' }]);
      const unknown = await admin('GET', '/api/admin/comments?site=nope');
      assert.equal(ErrorBodySchema.parse(await unknown.json()).error.code, 'site_not_found');
    });

    test('the pending queue shows what moderators need: raw body, email, html, short IP hash; filters and cursor pages', async () => {
      const a = await post({ body: 'First **bold** words', author: { name: 'Ann Example', email: 'ann@example.org' } });
      const b = await post({ body: 'Second comment about tides', author: { name: 'Bob' }, page: '/b' });
      clock.advance(1000);
      const c = await post({ body: 'Third, about TIDES again', author: { name: 'Cat', email: 'cat@example.org' } });
      const queue = await list('site=news&status=pending');
      assert.deepEqual(queue.comments.map((x) => x.id), [c.id, b.id, a.id], 'newest first');
      const first = queue.comments.find((x) => x.id === a.id)!;
      assert.deepEqual(first.author, { name: 'Ann Example', email: 'ann@example.org' });
      assert.equal(first.body, 'First **bold** words');
      assert.equal(first.html, '<p>First <strong>bold</strong> words</p>');
      assert.match(first.ipHash ?? '', /^[0-9a-f]{12}$/);
      assert.deepEqual([first.status, first.flags, first.pinned, first.likes], ['pending', 0, false, 0]);

      assert.deepEqual((await list('site=news&status=pending&q=tides')).comments.map((x) => x.id), [c.id, b.id], 'q is case-insensitive');
      assert.deepEqual((await list('site=news&status=pending&q=100%25')).comments, [], '% is literal');
      assert.deepEqual((await list('site=news&status=pending&author=EXAMPLE.org')).comments.map((x) => x.id), [c.id, a.id], 'author matches the email too');
      assert.deepEqual((await list('site=news&status=pending&page=%2Fb')).comments.map((x) => x.id), [b.id]);
      const page1 = await list('site=news&status=pending&limit=2');
      assert.equal(page1.comments.length, 2);
      assert.ok(page1.nextCursor);
      const page2 = await list(`site=news&status=pending&limit=2&cursor=${page1.nextCursor}`);
      assert.deepEqual(page2.comments.map((x) => x.id), [a.id]);
      assert.equal(page2.nextCursor, null);
      assert.equal((await admin('GET', '/api/admin/comments?site=news&cursor=bogus')).status, 400);
      assert.deepEqual((await list('site=blog&status=all')).comments, [], 'other sites are separate');
    });

    test('approve publishes live (SSE comment.created, comment.approved webhook); reject and spam hide; restore brings back', async () => {
      const comment = await post({ page: '/flow', body: 'Moderate me' });
      assert.equal((await publicThread('/flow')).total, 0);
      assert.equal((await act(comment.id, 'approve')).status, 'visible');
      assert.deepEqual((await publicThread('/flow')).comments.map((x) => x.id), [comment.id]);
      assert.deepEqual(await streamEvents('/flow'), [{ type: 'comment.created', comment_id: comment.id }]);
      assert.deepEqual((await hookEvents()).slice(-2), ['comment.pending', 'comment.approved']);

      assert.equal((await act(comment.id, 'reject')).status, 'rejected');
      assert.equal((await publicThread('/flow')).total, 0);
      assert.deepEqual((await streamEvents('/flow')).map((e) => e.type), ['comment.created', 'comment.deleted'], 'it disappears live');
      assert.equal((await hookEvents()).at(-1), 'comment.deleted');
      assert.deepEqual((await list('site=news&status=rejected')).comments.map((x) => x.id), [comment.id]);

      assert.equal((await act(comment.id, 'spam')).status, 'spam');
      assert.equal((await act(comment.id, 'restore')).status, 'visible');
      assert.equal((await publicThread('/flow')).total, 1);
      await act(comment.id, 'restore', 400);
    });

    test('flagged queue: readers flag, the comment shows with its count; approving keeps it and clears the flags', async () => {
      const comment = await post({ page: '/flags', body: 'Controversial' });
      await act(comment.id, 'approve');
      for (const reporter of ['203.0.113.1', '203.0.113.2']) {
        const flagged = await app.request(`/api/comments/${comment.id}/flag`, { method: 'POST', headers: { ...jsonHeaders, 'x-forwarded-for': reporter }, body: JSON.stringify({ reason: 'abuse' }) });
        assert.equal(flagged.status, 201, await flagged.clone().text());
      }
      const queue = await list('site=news&status=flagged');
      assert.deepEqual(queue.comments.map((x) => [x.id, x.flags]), [[comment.id, 2]]);
      await act(comment.id, 'approve');
      assert.deepEqual((await list('site=news&status=flagged')).comments, []);
    });

    test('pin: pinned top-level comments sort first in every public order; replies cannot be pinned', async () => {
      const older = await post({ page: '/pins', body: 'older' });
      clock.advance(1000);
      const newer = await post({ page: '/pins', body: 'newer' });
      await act(older.id, 'approve');
      await act(newer.id, 'approve');
      assert.deepEqual((await publicThread('/pins', 'oldest')).comments.map((x) => x.id), [older.id, newer.id]);
      assert.equal((await act(newer.id, 'pin')).pinned, true);
      assert.deepEqual((await publicThread('/pins', 'oldest')).comments.map((x) => x.id), [newer.id, older.id]);
      assert.deepEqual((await publicThread('/pins', 'top')).comments.map((x) => x.id), [newer.id, older.id]);
      // The cursor carries "pinned": page 2 of one-per-page continues after the pinned one.
      const first = CommentThreadSchema.parse(await (await app.request('/api/comments?site=news&page=%2Fpins&limit=1')).json());
      const second = CommentThreadSchema.parse(await (await app.request(`/api/comments?site=news&page=%2Fpins&limit=1&cursor=${first.nextCursor}`)).json());
      assert.deepEqual([first.comments[0]!.id, second.comments[0]!.id, second.nextCursor], [newer.id, older.id, null]);
      const reply = await post({ page: '/pins', body: 'a reply', parentId: older.id });
      await act(reply.id, 'approve');
      await act(reply.id, 'pin', 400);
      assert.equal((await act(newer.id, 'unpin')).pinned, false);
      assert.deepEqual((await publicThread('/pins', 'oldest')).comments.map((x) => x.id), [older.id, newer.id]);
    });

    test('PATCH re-renders the html (and streams the edit); DELETE erases (placeholder with replies) with comment.deleted', async () => {
      const parent = await post({ page: '/edit', body: 'typo here' });
      await act(parent.id, 'approve');
      const edited = await admin('PATCH', `/api/admin/comments/${parent.id}`, { body: 'fixed *here*' });
      assert.equal(edited.status, 200);
      const view = AdminCommentSchema.parse(await edited.json());
      assert.deepEqual([view.body, view.html], ['fixed *here*', '<p>fixed <em>here</em></p>']);
      assert.ok(view.editedAt);
      assert.equal((await publicThread('/edit')).comments[0]!.html, '<p>fixed <em>here</em></p>');
      const reply = await post({ page: '/edit', body: 'child', parentId: parent.id });
      await act(reply.id, 'approve');

      const removedParent = await admin('DELETE', `/api/admin/comments/${parent.id}`);
      assert.deepEqual(AdminDeleteResultSchema.parse(await removedParent.json()), { id: parent.id, status: 'deleted' });
      const removedReply = await admin('DELETE', `/api/admin/comments/${reply.id}`);
      assert.deepEqual(AdminDeleteResultSchema.parse(await removedReply.json()), { id: reply.id, status: 'removed' });
      assert.equal((await publicThread('/edit')).comments.length, 0, 'the placeholder went with its last reply');
      assert.deepEqual((await streamEvents('/edit')).map((e) => e.type), ['comment.created', 'comment.updated', 'comment.created', 'comment.deleted', 'comment.deleted', 'comment.deleted']);
      assert.equal((await hookEvents()).at(-1), 'comment.deleted');
      assert.equal((await admin('DELETE', `/api/admin/comments/${parent.id}`)).status, 404);
    });

    test('threads: lock, list locked, unlock', async () => {
      const locked = AdminThreadSchema.parse(await (await admin('PUT', '/api/admin/threads', { site: 'news', page: '/closed', locked: true })).json());
      assert.deepEqual([locked.locked, locked.lockedAt], [true, clock.now().toISOString()]);
      assert.deepEqual(AdminThreadsResponseSchema.parse(await (await admin('GET', '/api/admin/threads?site=news&locked=true')).json()).threads.map((t) => t.page), ['/closed']);
      const unlocked = AdminThreadSchema.parse(await (await admin('PUT', '/api/admin/threads', { site: 'news', page: '/closed', locked: false })).json());
      assert.deepEqual([unlocked.locked, unlocked.lockedAt], [false, null]);
      assert.deepEqual(AdminThreadsResponseSchema.parse(await (await admin('GET', '/api/admin/threads?site=news')).json()).threads, []);
    });

    test('ban from a comment shows in the bans list', async () => {
      const comment = await post({ page: '/ban', body: 'ban me', author: { email: 'ban@example.org' } });
      const response = await admin('POST', `/api/admin/comments/${comment.id}/ban`, { by: 'email', durationHours: 2, reason: 'abuse' });
      const ban = BanSchema.parse(await response.json());
      assert.equal(ban.expiresAt, new Date(clock.now().getTime() + 2 * 3600_000).toISOString());
      const bans = (await (await admin('GET', '/api/admin/bans?site=news')).json()) as { items: Array<{ id: string }> };
      assert.ok(bans.items.some((b) => b.id === ban.id));
    });

    test('stats: totals by status, a series per day, the most discussed pages with titles', async () => {
      const imported = await admin('PUT', '/api/articles', { site: 'news', articles: [{ url: 'https://news.example/pins', title: 'Pinned things' }] });
      assert.equal(imported.status, 200, await imported.clone().text());
      clock.advance(2 * 86_400_000);
      await post({ page: '/later', body: 'two days later' });
      const response = await admin('GET', '/api/admin/stats?site=news&days=7');
      const stats = AdminStatsSchema.parse(await response.json());
      const rows = await store.db.selectFrom('comments').select(['status']).where('site', '=', 'news').execute();
      const count = (status: string) => rows.filter((r) => r.status === status).length;
      assert.deepEqual(stats.totals, { visible: count('visible'), pending: count('pending'), spam: count('spam'), flagged: 0 });
      assert.equal(stats.perDay.length, 7);
      assert.equal(stats.perDay.at(-1)!.day, '2026-06-12');
      assert.equal(stats.perDay.at(-1)!.count, 1);
      assert.equal(stats.perDay.at(-3)!.day, '2026-06-10');
      assert.equal(stats.perDay.at(-3)!.count, rows.length - 1);
      assert.deepEqual(stats.mostDiscussed[0], { page: '/pins', title: 'Pinned things', count: 3 });
    });

    test('bulk approve of 3 pending comments publishes each as a single approve would (SSE, webhooks)', async () => {
      const posted = [await post({ page: '/bulk', body: 'one' }), await post({ page: '/bulk', body: 'two' }), await post({ page: '/bulk', body: 'three' })];
      const ids = posted.map((x) => x.id);
      assert.equal((await publicThread('/bulk')).total, 0);
      const hooksBefore = (await hookEvents()).length;
      const response = await admin('POST', '/api/admin/comments/bulk', { site: 'news', ids, action: 'approve' });
      assert.equal(response.status, 200, await response.clone().text());
      const { results } = AdminBulkResultSchema.parse(await response.json());
      assert.deepEqual(results, ids.map((id) => ({ id, ok: true, status: 'visible' })));
      assert.deepEqual((await publicThread('/bulk')).comments.map((x) => x.id).sort(), [...ids].sort());
      assert.deepEqual((await streamEvents('/bulk')).map((e) => [e.type, e.comment_id]), ids.map((id) => ['comment.created', id]));
      assert.deepEqual((await hookEvents()).slice(hooksBefore), ['comment.approved', 'comment.approved', 'comment.approved']);

      // spam then delete, in bulk too: hidden live, then erased.
      const spam = AdminBulkResultSchema.parse(await (await admin('POST', '/api/admin/comments/bulk', { site: 'news', ids, action: 'spam' })).json());
      assert.ok(spam.results.every((r) => r.ok && r.status === 'spam'));
      assert.equal((await publicThread('/bulk')).total, 0);
      const deleted = AdminBulkResultSchema.parse(await (await admin('POST', '/api/admin/comments/bulk', { site: 'news', ids, action: 'delete' })).json());
      assert.deepEqual(deleted.results, ids.map((id) => ({ id, ok: true, status: 'removed' })));
      assert.deepEqual((await list('site=news&status=all&page=%2Fbulk')).comments, []);
    });

    test('bulk: unknown ids, other sites\' comments and refused transitions fail per item; the rest are done', async () => {
      const good = await post({ page: '/bulk-mixed', body: 'fine' });
      const pending = await post({ page: '/bulk-mixed', body: 'still pending' });
      const elsewhere = await post({ site: 'blog', page: '/bulk-mixed', body: 'on the blog' });
      const unknown = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
      const response = await admin('POST', '/api/admin/comments/bulk', { site: 'news', ids: [unknown, good.id, elsewhere.id, pending.id], action: 'reject' });
      assert.equal(response.status, 200, await response.clone().text());
      const { results } = AdminBulkResultSchema.parse(await response.json());
      assert.deepEqual(results.map((r) => [r.id, r.ok, r.status ?? r.error?.code]), [
        [unknown, false, 'not_found'],
        [good.id, true, 'rejected'],
        [elsewhere.id, false, 'not_found'],
        [pending.id, true, 'rejected'],
      ]);
      const again = AdminBulkResultSchema.parse(await (await admin('POST', '/api/admin/comments/bulk', { site: 'news', ids: [good.id, good.id], action: 'reject' })).json());
      assert.equal(again.results.length, 1, 'a repeated id is acted on once');
      const refused = AdminBulkResultSchema.parse(await (await admin('POST', '/api/admin/comments/bulk', { site: 'news', ids: [good.id], action: 'restore' })).json());
      assert.equal(refused.results[0]!.ok, true);
      const twice = AdminBulkResultSchema.parse(await (await admin('POST', '/api/admin/comments/bulk', { site: 'news', ids: [good.id], action: 'restore' })).json());
      assert.deepEqual([twice.results[0]!.ok, twice.results[0]!.error?.code], [false, 'validation_failed']);
      assert.equal((await list('site=blog&status=all&page=%2Fbulk-mixed')).comments[0]!.id, elsewhere.id);
    });

    test('bulk: bad input is a 400 (201 ids, none, bad action, malformed id), an unknown site 404; same auth as single actions', async () => {
      const ids = Array.from({ length: 201 }, (_, i) => `01ARZ3NDEKTSV4RRFFQ69G${String(i).padStart(4, '0')}`);
      const expect400 = async (body: unknown) => {
        const response = await admin('POST', '/api/admin/comments/bulk', body);
        assert.equal(response.status, 400, JSON.stringify(body).slice(0, 80));
        assert.equal(ErrorBodySchema.parse(await response.json()).error.code, 'validation_failed');
      };
      await expect400({ site: 'news', ids, action: 'approve' });
      await expect400({ site: 'news', ids: [], action: 'approve' });
      await expect400({ site: 'news', ids: [ids[0]], action: 'pin' });
      await expect400({ site: 'news', ids: ['nope'], action: 'approve' });
      await expect400({ site: 'news', ids: [ids[0]], action: 'approve', extra: 1 });
      const unknownSite = await admin('POST', '/api/admin/comments/bulk', { site: 'nope', ids: [ids[0]], action: 'approve' });
      assert.equal(ErrorBodySchema.parse(await unknownSite.json()).error.code, 'site_not_found');
      assert.equal((await admin('POST', '/api/admin/comments/bulk', { site: 'news', ids: ids.slice(0, 200), action: 'approve' })).status, 200, '200 ids are fine');
      assert.equal((await app.request('/api/admin/comments/bulk', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ site: 'news', ids: [ids[0]], action: 'approve' }) })).status, 401);

      const login = await app.request('http://parley.local/api/admin/login', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const cookie = /parley_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
      const pending = await post({ page: '/bulk-csrf', body: 'waiting' });
      const body = { site: 'news', ids: [pending.id], action: 'approve' };
      const refused = await admin('POST', '/api/admin/comments/bulk', body, { cookie });
      assert.equal(ErrorBodySchema.parse(await refused.json()).error.code, 'csrf_failed');
      const ok = await admin('POST', '/api/admin/comments/bulk', body, { cookie, 'x-csrf-token': csrfToken });
      assert.deepEqual(AdminBulkResultSchema.parse(await ok.json()).results, [{ id: pending.id, ok: true, status: 'visible' }]);
    });

    test('session cookie: reads need only the cookie; actions need X-CSRF-Token', async () => {
      const login = await app.request('http://parley.local/api/admin/login', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const cookie = /parley_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
      const pending = await post({ page: '/csrf', body: 'waiting' });
      assert.equal((await admin('GET', '/api/admin/comments?site=news', undefined, { cookie })).status, 200);
      const refused = await admin('POST', `/api/admin/comments/${pending.id}/approve`, undefined, { cookie });
      assert.equal(ErrorBodySchema.parse(await refused.json()).error.code, 'csrf_failed');
      const ok = await admin('POST', `/api/admin/comments/${pending.id}/approve`, undefined, { cookie, 'x-csrf-token': csrfToken });
      assert.equal(ok.status, 200);
    });
  });
}
