import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../config.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, skipReason } from '../test/helpers.ts';
import { linkIn, postComment, securityApp, smtpSink, twoSites } from './helpers.ts';

const PUBLIC_URL = 'https://comments.news.example';

/**
 * Issue 14, point 2: links in mail come from PARLEY_PUBLIC_URL, never from the request's Host; mail
 * without it is refused at startup; privacy and unsubscribe links work once.
 */
describe('security: PARLEY_PUBLIC_URL is required for mail', () => {
  test('PARLEY_SMTP_URL without PARLEY_PUBLIC_URL is a configuration error; with it, links have one base', () => {
    assert.throws(() => loadConfig({ PARLEY_SMTP_URL: 'smtp://127.0.0.1:2525' }), /PARLEY_SMTP_URL needs PARLEY_PUBLIC_URL/);
    assert.throws(() => loadConfig({ PARLEY_SMTP_URL: 'smtp://127.0.0.1:2525', PARLEY_PUBLIC_URL: 'javascript:alert(1)' }), /PARLEY_PUBLIC_URL/);
    assert.equal(loadConfig({ PARLEY_SMTP_URL: 'smtp://127.0.0.1:2525', PARLEY_PUBLIC_URL: 'https://Comments.News.Example/' }).publicUrl, PUBLIC_URL);
  });
});

for (const dialect of await dialectsUnderTest()) {
  describe(`security: links in mail on ${dialect.name}`, { skip: skipReason(dialect), timeout: 180_000 }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let smtp: Awaited<ReturnType<typeof smtpSink>>;
    let app: ReturnType<typeof securityApp>['app'];

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      smtp = await smtpSink();
      const sites = twoSites({ blog: { moderation: 'all', moderators: ['mod@blog.example'] } });
      ({ app } = securityApp(store, { sites, config: { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, publicUrl: PUBLIC_URL } }));
    });
    after(async () => {
      await smtp?.close();
      await dispose?.();
    });

    const follow = (link: string, method = 'GET') => app.request(link, { method });

    test('a privacy request sent with Host: evil.example mails a link to the public URL, which works once', async () => {
      await postComment(app, { body: 'Mine', author: { name: 'Ann', email: 'ann@reader.example' } }, { status: 201 });
      const asked = await app.request('http://evil.example/api/privacy/requests', {
        method: 'POST',
        headers: { ...jsonHeaders, host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-for': '198.51.100.7' },
        body: JSON.stringify({ site: 'news', email: 'ann@reader.example', kind: 'export' }),
      });
      assert.equal(asked.status, 202);
      const [mail] = await smtp.waitFor(1);
      assert.ok(!mail!.text.includes('evil.example'), 'the request host is in the mail');
      const link = linkIn(mail!, `${PUBLIC_URL}/api/privacy/confirm?token=`);
      const first = await follow(link);
      assert.equal(first.status, 200);
      const again = await follow(link);
      assert.equal(again.status, 410);
      assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'link_used');
    });

    test('moderator notices link to /admin/comments/<id> on the public URL, whatever the Host', async () => {
      const before = smtp.messages.length;
      const held = await app.request('http://evil.example/api/comments', {
        method: 'POST',
        headers: { ...jsonHeaders, host: 'evil.example', origin: 'https://blog.example', 'x-forwarded-for': '198.51.100.8' },
        body: JSON.stringify({ site: 'blog', page: '/post', body: 'Please approve', author: { name: 'Zed' } }),
      });
      assert.equal(held.status, 202);
      const { id } = (await held.json()) as { id: string };
      const mails = await smtp.waitFor(before + 1);
      const notice = mails.find((mail) => mail.to.includes('mod@blog.example'))!;
      assert.ok(notice.text.includes(`${PUBLIC_URL}/admin/comments/${id}`));
      assert.ok(notice.text.includes('https://blog.example/post'), 'the page link uses the site\'s configured origin');
      assert.ok(!notice.text.includes('evil.example'));
    });

    test('reply notifications: opt-in and unsubscribe links on the public URL, each single-use', async () => {
      const parent = await postComment(app, { page: '/talk', body: 'Tell me about replies', author: { name: 'Fay', email: 'fay@reader.example' }, notify: true }, { status: 201 });
      const optIn = (await smtp.waitFor(smtp.messages.length + 1)).find((mail) => mail.to.includes('fay@reader.example') && mail.text.includes('/api/notifications/confirm'))!;
      const confirm = linkIn(optIn, `${PUBLIC_URL}/api/notifications/confirm?token=`);
      assert.equal((await follow(confirm)).status, 200);
      assert.equal((await follow(confirm)).status, 410);
      const count = smtp.messages.length;
      await postComment(app, { page: '/talk', parentId: parent.id, body: 'A reply', author: { name: 'Gus' } }, { status: 201 });
      const notice = (await smtp.waitFor(count + 1)).at(-1)!;
      const unsubscribe = linkIn(notice, `${PUBLIC_URL}/api/notifications/unsubscribe?token=`);
      assert.equal((await follow(unsubscribe, 'POST')).status, 200);
      assert.equal((await follow(unsubscribe, 'POST')).status, 410);
    });
  });
}
