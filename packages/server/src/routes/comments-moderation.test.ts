import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AdminCommentSchema, CommentThreadSchema, ErrorBodySchema, PostedCommentSchema, type ErrorCode, type PostedComment } from '@parley/schema';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { startServer, type RunningServer } from '../server.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason, tempDir } from '../test/helpers.ts';

const ADMIN = { authorization: 'Bearer admin-token' };
const HOOK = { url: 'http://127.0.0.1:9/hook', secret: 'a-webhook-secret-of-16+' };

async function expectError(response: Response, status: number, code: ErrorCode, message?: RegExp) {
  const body = ErrorBodySchema.parse(await response.json());
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error.code, code);
  if (message) assert.match(body.error.message, message);
}

/** A local stand-in for Akismet: every comment by `spammer` is spam. */
async function fakeAkismet(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => res.end(new URLSearchParams(raw).get('comment_author') === 'spammer' ? 'true' : 'false'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

for (const dialect of await dialectsUnderTest()) {
  describe(`comment writes through the moderation gate on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    let akismet: Awaited<ReturnType<typeof fakeAkismet>>;
    const clock = manualClock('2026-06-01T10:00:00.000Z');

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      akismet = await fakeAkismet();
      const sites = SiteRegistry.fromFile(
        parseSitesConfig(
          {
            sites: [
              {
                id: 'open',
                maxLinks: 1,
                blockedWords: ['casino'],
                rateLimits: { perIp: { max: 3, windowSeconds: 60 } },
                webhooks: [HOOK],
                spamCheck: { akismet: { key: 'k', blog: 'https://news.example/', endpoint: akismet.endpoint } },
              },
              { id: 'all', moderation: 'all', webhooks: [HOOK] },
              { id: 'first', moderation: 'first-time', webhooks: [HOOK] },
            ],
          },
          'test',
        ),
      );
      app = createApp({ store, clock, sites, config: { adminToken: 'admin-token', embedFile: '/nonexistent', trustProxy: true, secret: 'test-secret' }, logError: () => {} });
    });
    after(async () => {
      await akismet?.close();
      await dispose?.();
    });

    let ipCounter = 0;
    /** Each call from a fresh client address unless one is given (the per-IP limit is tested on its own). */
    const send = (site: string, body: Record<string, unknown>, ip = `198.51.100.${++ipCounter}`) =>
      app.request('/api/comments', { method: 'POST', headers: { ...jsonHeaders, 'x-forwarded-for': ip }, body: JSON.stringify({ site, page: '/p', ...body }) });
    const posted = async (response: Response, status: 201 | 202): Promise<PostedComment> => {
      assert.equal(response.status, status, await response.clone().text());
      return PostedCommentSchema.parse(await response.json());
    };
    const thread = async (site: string, page = '/p') => CommentThreadSchema.parse(await (await app.request(`/api/comments?site=${site}&page=${encodeURIComponent(page)}`)).json());
    const count = async (site: string, page = '/p') =>
      ((await (await app.request('/api/counts', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ site, pages: [page] }) })).json()) as { counts: Record<string, number> }).counts[page];
    const deliveries = async (site: string) =>
      (await store.db.selectFrom('webhook_deliveries').select(['event', 'payload']).where('site', '=', site).orderBy('id').execute()).map((row) => ({ event: row.event, data: JSON.parse(row.payload).data }));
    const events = async (site: string, page = '/p') => (await store.db.selectFrom('comment_events').select(['type', 'comment_id']).where('site', '=', site).where('page', '=', page).orderBy('id').execute());
    const admin = (method: string, url: string, body?: unknown) =>
      app.request(url, { method, headers: { ...ADMIN, ...(body === undefined ? {} : jsonHeaders) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

    test('open site: a clean comment is published at once (201, visible, streamed, comment.created webhook)', async () => {
      const comment = await posted(await send('open', { body: 'Hello there', author: { name: 'Ada' } }), 201);
      assert.equal(comment.status, 'visible');
      assert.equal(comment.message, undefined);
      assert.deepEqual((await thread('open')).comments.map((c) => c.id), [comment.id]);
      assert.deepEqual(await events('open'), [{ type: 'comment.created', comment_id: comment.id }]);
      const hooks = await deliveries('open');
      assert.deepEqual(hooks.map((h) => h.event), ['comment.created']);
      assert.equal(hooks[0]!.data.id, comment.id);
      assert.equal(hooks[0]!.data.site, 'open');
    });

    test('"all" site: the comment waits (202 pending + message), invisible to readers until approved', async () => {
      const comment = await posted(await send('all', { body: 'Please approve me', author: { name: 'Bea', email: 'bea@example.org' } }), 202);
      assert.equal(comment.status, 'pending');
      assert.equal(comment.message, 'Your comment is waiting for approval.');
      assert.equal(comment.body, 'Please approve me', 'the author keeps their text');
      assert.ok(comment.editToken);
      const before = await thread('all');
      assert.deepEqual([before.total, before.comments.length], [0, 0]);
      assert.equal(await count('all'), 0);
      assert.deepEqual(await events('all'), [], 'nothing streamed');
      assert.deepEqual((await deliveries('all')).map((h) => h.event), ['comment.pending']);
      // A reply to a pending comment is refused: readers cannot see it.
      await expectError(await send('all', { body: 'reply', parentId: comment.id }), 400, 'parent_not_found');

      const approved = await admin('POST', `/api/admin/comments/${comment.id}/approve`);
      assert.equal(approved.status, 200, await approved.clone().text());
      assert.equal(AdminCommentSchema.parse(await approved.json()).status, 'visible');
      const after = await thread('all');
      assert.deepEqual([after.total, after.comments.map((c) => c.id)], [1, [comment.id]]);
      assert.equal(await count('all'), 1);
      assert.deepEqual(await events('all'), [{ type: 'comment.created', comment_id: comment.id }], 'approval publishes it live');
      assert.deepEqual((await deliveries('all')).map((h) => h.event), ['comment.pending', 'comment.approved']);
    });

    test('the author may edit or withdraw a pending comment with its edit token; readers never hear of it', async () => {
      const comment = await posted(await send('all', { page: '/mine', body: 'Draft-ish' }), 202);
      const headers = { ...jsonHeaders, 'Parley-Edit-Token': comment.editToken };
      const edited = await app.request(`/api/comments/${comment.id}`, { method: 'PATCH', headers, body: JSON.stringify({ site: 'all', body: 'Better words' }) });
      assert.equal(edited.status, 202);
      assert.deepEqual(((await edited.json()) as { status: string; body: string }).status, 'pending');
      const wrongToken = await app.request(`/api/comments/${comment.id}?site=all`, { method: 'DELETE', headers: { 'Parley-Edit-Token': 'x'.repeat(43) } });
      assert.equal(wrongToken.status, 403);
      const withdrawn = await app.request(`/api/comments/${comment.id}?site=all`, { method: 'DELETE', headers: { 'Parley-Edit-Token': comment.editToken } });
      assert.deepEqual(await withdrawn.json(), { id: comment.id, status: 'removed' });
      assert.deepEqual(await events('all', '/mine'), []);
      assert.deepEqual((await deliveries('all')).slice(-2).map((h) => h.event), ['comment.pending', 'comment.deleted']);
    });

    test('first-time site: held until the author has an approved comment (and its author token), then published', async () => {
      const author = { name: 'Cy', email: 'cy@example.org' };
      const first = await posted(await send('first', { body: 'My very first', author }), 202);
      assert.equal(first.message, 'Your first comment is waiting for approval.');
      assert.equal((await admin('POST', `/api/admin/comments/${first.id}/approve`)).status, 200);
      // Cy's email typed by someone else (no token) is still first-time (issue 14).
      await posted(await send('first', { body: 'Cy here, trust me', author }), 202);
      const second = await posted(await send('first', { body: 'And another one', author: { ...author, email: 'CY@example.org' }, authorToken: first.authorToken }), 201);
      assert.equal(second.status, 'visible');
      // Someone else is still new.
      await posted(await send('first', { body: 'Hi all', author: { name: 'Di', email: 'di@example.org' } }), 202);
    });

    test('rules: too many links 422, blocked words held, bot traps 422, duplicates 422', async () => {
      await expectError(await send('open', { body: 'see https://a.example and https://b.example' }), 422, 'comment_rejected', /^Comments may contain at most 1 link\.$/);
      const held = await posted(await send('open', { body: 'Best CASINO in town' }), 202);
      assert.equal(held.status, 'pending');
      await expectError(await send('open', { body: 'I am a bot', honeypot: 'http://spam.example' }), 422, 'comment_rejected', /could not be accepted/);
      await expectError(await send('open', { body: 'Typed very fast', fillMs: 1_000 }), 422, 'comment_rejected', /^That was quick! Please wait a few seconds and send your comment again\.$/);
      await posted(await send('open', { body: 'Typed at a human pace', fillMs: 30_000 }), 201);
      // Not measured (an API client): allowed.
      await posted(await send('open', { body: 'Posted by a script' }), 201);
      // The reader's clock runs an hour ahead: the old `renderedAt` is ignored, only `fillMs` counts.
      await posted(await send('open', { body: 'From a fast clock', fillMs: 30_000, renderedAt: clock.now().getTime() + 3_600_000 }), 201);
      await expectError(await send('open', { body: 'Fast clock, fast fingers', fillMs: 500, renderedAt: clock.now().getTime() - 3_600_000 }), 422, 'comment_rejected', /wait a few seconds/);
      await posted(await send('open', { body: 'Same words twice', author: { name: 'Ed', email: 'ed@example.org' } }), 201);
      await expectError(await send('open', { body: 'same WORDS twice!', author: { name: 'Ed', email: 'ed@example.org' } }), 422, 'comment_rejected', /already posted/);
      const admins = await admin('GET', '/api/admin/comments?site=open&status=pending');
      assert.deepEqual(((await admins.json()) as { comments: Array<{ id: string }> }).comments.map((c) => c.id), [held.id]);
    });

    test('a spam verdict holds the comment as spam: 202 pending to the author, the spam queue for moderators, no webhook', async () => {
      const before = (await deliveries('open')).length;
      const comment = await posted(await send('open', { body: 'Buy my stuff', author: { name: 'spammer' } }), 202);
      assert.equal(comment.status, 'pending');
      const row = await store.db.selectFrom('comments').select('status').where('id', '=', comment.id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'spam');
      const queue = (await (await admin('GET', '/api/admin/comments?site=open&status=spam')).json()) as { comments: Array<{ id: string }> };
      assert.deepEqual(queue.comments.map((c) => c.id), [comment.id]);
      assert.equal((await deliveries('open')).length, before);
    });

    test('per-IP rate limit: 429 rate_limited with Retry-After; another address is not affected', async () => {
      const ip = '203.0.113.77';
      for (let i = 0; i < 3; i++) await posted(await send('open', { body: `burst ${i}` }, ip), 201);
      const limited = await send('open', { body: 'burst 3' }, ip);
      const retryAfter = Number(limited.headers.get('retry-after'));
      await expectError(limited, 429, 'rate_limited', /from your network/);
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      await posted(await send('open', { body: 'someone else' }, '203.0.113.78'), 201);
      clock.advance(61_000);
      await posted(await send('open', { body: 'burst 4, later' }, ip), 201);
    });

    test('bans by IP and by email from a comment: 403 banned with a safe message', async () => {
      const byIp = await posted(await send('open', { body: 'trouble from an address' }, '192.0.2.10'), 201);
      const ban = await admin('POST', `/api/admin/comments/${byIp.id}/ban`, { by: 'ip', durationHours: 24 });
      assert.equal(ban.status, 201, await ban.clone().text());
      await expectError(await send('open', { body: 'again' }, '192.0.2.10'), 403, 'banned', /^You cannot comment on this site at the moment\.$/);
      const byEmail = await posted(await send('open', { body: 'trouble by mail', author: { email: 'troll@example.org' } }), 201);
      assert.equal((await admin('POST', `/api/admin/comments/${byEmail.id}/ban`, { by: 'email' })).status, 201);
      await expectError(await send('open', { body: 'new address, same mail', author: { email: 'Troll@Example.org' } }), 403, 'banned');
      // Only on that site.
      await posted(await send('all', { body: 'elsewhere', author: { email: 'troll@example.org' } }), 202);
      const anonymous = await posted(await send('open', { body: 'no email' }), 201);
      await expectError(await admin('POST', `/api/admin/comments/${anonymous.id}/ban`, { by: 'email' }), 400, 'validation_failed', /no email/);
    });

    test('locked threads: 403 thread_locked for comments and replies, until unlocked', async () => {
      const parent = await posted(await send('open', { page: '/locked', body: 'before the lock' }), 201);
      const locked = await admin('PUT', '/api/admin/threads', { site: 'open', page: '/locked', locked: true });
      assert.equal(locked.status, 200);
      await expectError(await send('open', { page: '/locked', body: 'too late' }), 403, 'thread_locked');
      await expectError(await send('open', { page: '/locked', body: 'a reply', parentId: parent.id }), 403, 'thread_locked');
      await posted(await send('open', { page: '/elsewhere', body: 'other pages are open' }), 201);
      assert.equal((await admin('PUT', '/api/admin/threads', { site: 'open', page: '/locked', locked: false })).status, 200);
      await posted(await send('open', { page: '/locked', body: 'open again', parentId: parent.id }), 201);
    });

    test('edits re-check the rules: links 422; a blocked word sends the comment back to moderation', async () => {
      const comment = await posted(await send('open', { page: '/edits', body: 'An innocent comment' }), 201);
      const edit = (body: string) =>
        app.request(`/api/comments/${comment.id}`, { method: 'PATCH', headers: { ...jsonHeaders, 'Parley-Edit-Token': comment.editToken }, body: JSON.stringify({ site: 'open', body }) });
      await expectError(await edit('now with https://a.example and https://b.example'), 422, 'comment_rejected', /at most 1 link/);
      const fine = await edit('Edited, still innocent');
      assert.equal(fine.status, 200);
      const held = await edit('Edited to advertise a casino');
      assert.equal(held.status, 202);
      const body = (await held.json()) as { status: string; message: string };
      assert.deepEqual([body.status, body.message], ['pending', 'Your comment is waiting for approval.']);
      assert.equal((await thread('open', '/edits')).total, 0);
      assert.deepEqual((await events('open', '/edits')).map((e) => e.type), ['comment.created', 'comment.updated', 'comment.deleted']);
    });

    test('"all" site: an approved comment edited by its author waits for approval again; readers keep nothing of the new text', async () => {
      const comment = await posted(await send('all', { page: '/reedit', body: 'Approved words' }), 202);
      assert.equal((await admin('POST', `/api/admin/comments/${comment.id}/approve`)).status, 200);
      assert.equal((await thread('all', '/reedit')).total, 1);
      const edited = await app.request(`/api/comments/${comment.id}`, { method: 'PATCH', headers: { ...jsonHeaders, 'Parley-Edit-Token': comment.editToken }, body: JSON.stringify({ site: 'all', body: 'Now buy pills at https://spam.example' }) });
      assert.equal(edited.status, 202, await edited.clone().text());
      assert.equal(((await edited.json()) as { status: string }).status, 'pending');
      const shown = await thread('all', '/reedit');
      assert.equal(shown.total, 0);
      assert.doesNotMatch(JSON.stringify(shown), /pills/);
      assert.deepEqual((await events('all', '/reedit')).map((e) => e.type), ['comment.created', 'comment.deleted']);
      assert.deepEqual((await deliveries('all')).slice(-1).map((h) => h.event), ['comment.pending'], 'moderators hear of it again');
      const queued = AdminCommentSchema.parse(await (await admin('GET', `/api/admin/comments/${comment.id}`)).json());
      assert.deepEqual([queued.status, queued.body], ['pending', 'Now buy pills at https://spam.example']);
    });

    test('a moderator\'s edit or removal ends the author\'s edit token', async () => {
      const comment = await posted(await send('open', { page: '/moderated', body: 'Original words' }), 201);
      const headers = { ...jsonHeaders, 'Parley-Edit-Token': comment.editToken };
      assert.equal((await admin('PATCH', `/api/admin/comments/${comment.id}`, { body: 'Redacted by a moderator' })).status, 200);
      const edit = await app.request(`/api/comments/${comment.id}`, { method: 'PATCH', headers, body: JSON.stringify({ site: 'open', body: 'Put it back' }) });
      await expectError(edit, 403, 'forbidden');
      assert.match(JSON.stringify(await thread('open', '/moderated')), /Redacted by a moderator/);
      const other = await posted(await send('open', { page: '/moderated', body: 'Rejected soon' }), 201);
      assert.equal((await admin('POST', `/api/admin/comments/${other.id}/reject`)).status, 200);
      assert.equal((await admin('POST', `/api/admin/comments/${other.id}/restore`)).status, 200);
      const withdraw = await app.request(`/api/comments/${other.id}?site=open`, { method: 'DELETE', headers: { 'Parley-Edit-Token': other.editToken } });
      await expectError(withdraw, 403, 'forbidden');
    });
  });
}

describe('the gate over real HTTP (startServer, a sites file)', () => {
  let server: RunningServer;
  const temp = tempDir();

  before(async () => {
    const sitesFile = path.join(temp.dir, 'sites.json');
    writeFileSync(sitesFile, JSON.stringify({ sites: [{ id: 'news', moderation: 'all', rateLimits: { perIp: { max: 2, windowSeconds: 60 } } }] }));
    server = await startServer(
      loadConfig({ PORT: '0', DATABASE_URL: `file:${path.join(temp.dir, 'db.sqlite')}`, PARLEY_CONFIG: sitesFile, PARLEY_EMBED_FILE: path.join(temp.dir, 'none.js') }),
      { quiet: true },
    );
  });
  after(async () => {
    await server?.close();
    temp.remove();
  });

  test('202 pending, then 429 with Retry-After from the same address; the public list stays empty', async () => {
    const post = (body: string) => fetch(`${server.url}/api/comments`, { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ site: 'news', page: '/a', body }) });
    for (const body of ['first', 'second']) {
      const response = await post(body);
      assert.equal(response.status, 202);
      assert.equal(PostedCommentSchema.parse(await response.json()).status, 'pending');
    }
    const limited = await post('third');
    assert.equal(limited.status, 429);
    assert.match(limited.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.equal(ErrorBodySchema.parse(await limited.json()).error.code, 'rate_limited');
    const list = CommentThreadSchema.parse(await (await fetch(`${server.url}/api/comments?site=news&page=%2Fa`)).json());
    assert.equal(list.total, 0);
  });
});
