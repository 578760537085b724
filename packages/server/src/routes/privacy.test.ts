import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CommentThreadSchema, ErrorBodySchema, PostedCommentSchema, PrivacyResultSchema, type PostedComment } from '@parley/schema';
import { createParley, type Parley } from '../app.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../test/helpers.ts';
import { smtpSink, type ReceivedMail } from '../test/smtp-sink.ts';

/**
 * Sends every mail the app has staged (the outbox) and resolves to the rows that did not go out.
 * When this resolves, each mail the server was going to send has reached the sink (sendMail
 * resolves on the sink's 250): "no more mail" is a state to assert, not a time to wait for.
 */
async function drainOutbox(parley: Parley, store: Store): Promise<Array<{ kind: string; status: string; last_error: string | null }>> {
  await parley.jobs.settled();
  await parley.jobs.drain();
  return store.db.selectFrom('outbox').select(['kind', 'status', 'last_error']).where('status', '!=', 'sent').execute();
}

/** The first link to this server's path in a mail. */
function linkIn(mail: ReceivedMail, pathname: string): string {
  const match = new RegExp(`https?://[^\\s"<>]+${pathname.replace(/\//g, '\\/')}\\?token=[A-Za-z0-9%._-]+`).exec(mail.text);
  assert.ok(match, `no ${pathname} link in:\n${mail.text}`);
  return match[0];
}

for (const dialect of await dialectsUnderTest()) {
  describe(`privacy requests and reply notifications by mail on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let parley: Parley;
    let app: Parley['app'];
    let smtp: Awaited<ReturnType<typeof smtpSink>>;
    const clock = manualClock('2026-07-01T08:00:00.000Z');
    let ip = 0;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      smtp = await smtpSink();
      parley = createParley({
        store,
        clock,
        config: { adminToken: 'admin-token', embedFile: '/nonexistent', trustProxy: true, secret: 'test-secret', smtpUrl: `smtp://127.0.0.1:${smtp.port}`, publicUrl: 'http://parley.local', mailFrom: 'Parley <parley@news.example>' },
        logError: () => {},
      });
      ({ app } = parley);
    });
    after(async () => {
      await smtp?.close();
      await dispose?.();
    });

    const post = async (input: Record<string, unknown>): Promise<PostedComment> => {
      const response = await app.request('http://parley.local/api/comments', {
        method: 'POST',
        headers: { ...jsonHeaders, 'x-forwarded-for': `198.51.100.${++ip}`, origin: 'https://news.example' },
        body: JSON.stringify({ page: '/story', ...input }),
      });
      assert.equal(response.status, 201, await response.clone().text());
      return PostedCommentSchema.parse(await response.json());
    };
    const ask = (email: string, kind: 'export' | 'delete') =>
      app.request('http://parley.local/api/privacy/requests', { method: 'POST', headers: { ...jsonHeaders, 'x-forwarded-for': `192.0.2.${++ip}` }, body: JSON.stringify({ email, kind }) });
    const open = (link: string, method = 'GET') => app.request(link.replace(/^https?:\/\/[^/]+/, 'http://parley.local'), { method });

    test('export: always 202, a signed link by mail, the link answers every comment of that address', async () => {
      const mine = await post({ body: 'My opinion', author: { name: 'Ann', email: 'ann@example.org' } });
      await post({ body: 'Someone else', author: { name: 'Bob', email: 'bob@example.org' } });
      const response = await ask('ANN@example.org', 'export');
      assert.equal(response.status, 202);
      const unknown = await ask('nobody@example.org', 'export');
      assert.equal(unknown.status, 202);
      assert.deepEqual(await unknown.json(), await (await ask('nobody2@example.org', 'export')).json(), 'the same answer either way');
      const mails = await smtp.waitFor(3);
      const annMail = mails.find((m) => m.to.includes('ann@example.org'))!;
      assert.match(annMail.text, /Subject: \[default\] Confirm your data export/);
      const link = linkIn(annMail, '/api/privacy/confirm');
      const exported = await open(link);
      assert.equal(exported.status, 200);
      assert.match(exported.headers.get('content-disposition') ?? '', /attachment/);
      const result = PrivacyResultSchema.parse(await exported.json());
      assert.equal(result.kind, 'export');
      assert.deepEqual(result.kind === 'export' && result.comments.map((c) => [c.id, c.body]), [[mine.id, 'My opinion']]);

      // Forged, tampered and expired links are refused.
      assert.equal(ErrorBodySchema.parse(await (await open(`${link}x`)).json()).error.code, 'validation_failed');
      assert.equal((await app.request('/api/privacy/confirm?token=abcdefghijklmnopqrstuvwxyz.abc')).status, 400);
      clock.advance(25 * 3600_000);
      assert.equal((await open(link)).status, 400);
    });

    test('delete: a comment with replies becomes a placeholder, one without goes; readers see the placeholder', async () => {
      smtp.messages.length = 0;
      const parent = await post({ page: '/erase', body: 'Erase me, I have a reply', author: { name: 'Cleo', email: 'cleo@example.org' } });
      await post({ page: '/erase', body: 'A reply by Dan', parentId: parent.id, author: { name: 'Dan' } });
      await post({ page: '/erase', body: 'Erase me too', author: { name: 'Cleo', email: 'cleo@example.org' } });
      assert.equal((await ask('cleo@example.org', 'delete')).status, 202);
      const [mail] = await smtp.waitFor(1);
      assert.match(mail!.text, /Confirm deleting your comments/);
      const result = PrivacyResultSchema.parse(await (await open(linkIn(mail!, '/api/privacy/confirm'))).json());
      assert.deepEqual(result, { kind: 'delete', site: 'default', email: 'cleo@example.org', removed: 1, anonymised: 1 });
      const thread = CommentThreadSchema.parse(await (await app.request('/api/comments?page=%2Ferase')).json());
      assert.deepEqual(thread.comments.map((c) => [c.status, c.author.name, c.replies.length]), [['deleted', null, 1]]);
      const left = await store.db.selectFrom('comments').select('id').where('author_email', '=', 'cleo@example.org').execute();
      assert.deepEqual(left, []);
    });

    test('the console exports and erases at once (POST /api/admin/privacy)', async () => {
      await post({ page: '/console', body: 'From Eve', author: { email: 'eve@example.org' } });
      const exported = await app.request('/api/admin/privacy', { method: 'POST', headers: { ...jsonHeaders, authorization: 'Bearer admin-token' }, body: JSON.stringify({ email: 'eve@example.org', kind: 'export' }) });
      const result = PrivacyResultSchema.parse(await exported.json());
      assert.equal(result.kind === 'export' && result.comments.length, 1);
      const erased = await app.request('/api/admin/privacy', { method: 'POST', headers: { ...jsonHeaders, authorization: 'Bearer admin-token' }, body: JSON.stringify({ email: 'eve@example.org', kind: 'delete' }) });
      assert.deepEqual(PrivacyResultSchema.parse(await erased.json()), { kind: 'delete', site: 'default', email: 'eve@example.org', removed: 1, anonymised: 0 });
      assert.equal((await app.request('/api/admin/privacy', { method: 'POST', headers: jsonHeaders, body: '{}' })).status, 401);
    });

    test('privacy requests are rate limited per address (no mail bombing)', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await ask('target@example.org', 'export')).status);
      assert.deepEqual(statuses, [202, 202, 202, 429]);
      // The three accepted requests mail in the background: they have all arrived before the next test counts mail.
      await smtp.waitFor(3, 'target@example.org');
    });

    test('reply notifications: double opt-in, then a mail per reply with a one-click unsubscribe', async () => {
      smtp.messages.length = 0;
      const mine = await post({ page: '/talk', body: 'Tell me when someone answers', author: { name: 'Fay', email: 'fay@example.org' }, notify: true });
      const [optIn] = await smtp.waitFor(1);
      assert.deepEqual(optIn!.to, ['fay@example.org']);
      // The site allows any origin, so the writer's Origin header is not trusted for the page link (issue 14).
      assert.match(optIn!.text, /your comment on \/talk\./);
      assert.doesNotMatch(optIn!.text, /news\.example\/talk/);
      // Not confirmed yet: a reply sends nothing.
      await post({ page: '/talk', body: 'Early reply', parentId: mine.id, author: { name: 'Gus' } });
      assert.deepEqual(await drainOutbox(parley, store), []);
      assert.equal(smtp.messages.length, 1, 'no mail for the reply before confirming');
      const confirmed = await open(linkIn(optIn!, '/api/notifications/confirm'));
      assert.deepEqual(await confirmed.json(), { commentId: mine.id, subscribed: true });
      await post({ page: '/talk', body: 'A *real* reply', parentId: mine.id, author: { name: 'Hal' } });
      assert.deepEqual(await drainOutbox(parley, store), []);
      const mails = smtp.messages;
      assert.equal(mails.length, 2);
      const notice = mails[1]!;
      assert.deepEqual(notice.to, ['fay@example.org']);
      assert.match(notice.text, /Hal replied to your comment/);
      const headers = notice.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
      assert.match(headers, /^List-Unsubscribe: <http:\/\/parley\.local\/api\/notifications\/unsubscribe\?token=/m);
      assert.match(headers, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
      // Replying to yourself does not mail you.
      await post({ page: '/talk', body: 'Thanks!', parentId: mine.id, author: { name: 'Fay', email: 'fay@example.org' } });
      assert.deepEqual(await drainOutbox(parley, store), []);
      assert.equal(smtp.messages.length, 2, 'no mail for replying to yourself');
      const unsubscribe = /^List-Unsubscribe: <([^>]+)>/m.exec(headers)![1]!;
      const off = await open(unsubscribe, 'POST');
      assert.deepEqual(await off.json(), { commentId: mine.id, subscribed: false });
      await post({ page: '/talk', body: 'Nobody hears this one', parentId: mine.id, author: { name: 'Ivy' } });
      assert.deepEqual(await drainOutbox(parley, store), []);
      assert.equal(smtp.messages.length, 2, 'no mail after unsubscribing');
      const row = await store.db.selectFrom('reply_subscriptions').selectAll().where('comment_id', '=', mine.id).executeTakeFirstOrThrow();
      assert.ok(row.confirmed_at && row.unsubscribed_at);
    });
  });

  describe(`moderator mail for comments that wait, on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let parley: Parley;
    let smtp: Awaited<ReturnType<typeof smtpSink>>;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      smtp = await smtpSink();
      const sites = SiteRegistry.fromFile(parseSitesConfig({ sites: [{ id: 'news', origins: ['https://news.example'], moderation: 'all', moderators: ['mod1@news.example', 'mod2@news.example'] }, { id: 'quiet', moderation: 'all' }] }, 'test'));
      parley = createParley({ store, sites, config: { adminToken: 'admin-token', embedFile: '/nonexistent', smtpUrl: `smtp://127.0.0.1:${smtp.port}`, publicUrl: 'http://parley.local' }, logError: () => {} });
    });
    after(async () => {
      await smtp?.close();
      await dispose?.();
    });

    test('a pending comment mails the site\'s moderators with a link to the console; a site without moderators mails nobody', async () => {
      const send = (site: string, body: string) =>
        parley.app.request('http://parley.local/api/comments', { method: 'POST', headers: { ...jsonHeaders, origin: 'https://news.example' }, body: JSON.stringify({ site, page: '/x', body, author: { name: 'Zed' } }) });
      const quiet = await send('quiet', 'nobody is told');
      assert.equal(quiet.status, 202);
      const response = await send('news', 'waiting <b>here</b>');
      assert.equal(response.status, 202);
      const { id } = PostedCommentSchema.parse(await response.json());
      // Every staged mail sent: one to the moderators of 'news'; 'quiet' has nobody, and that is no error to retry.
      assert.deepEqual(await drainOutbox(parley, store), []);
      assert.equal(smtp.messages.length, 1);
      const [mail] = smtp.messages;
      assert.deepEqual(mail!.to.sort(), ['mod1@news.example', 'mod2@news.example']);
      assert.match(mail!.text, /Subject: \[news\] Comment waiting for approval by Zed/);
      assert.ok(mail!.text.includes(`http://parley.local/admin/comments/${id}`));
      assert.ok(mail!.text.includes('https://news.example/x'));
    });
  });
}
