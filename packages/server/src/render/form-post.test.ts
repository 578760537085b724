import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CommentThreadSchema, ErrorBodySchema } from '@parley/schema';
import { createApp } from '../app.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, manualClock, skipReason } from '../test/helpers.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const NEWS = 'https://news.example';

for (const dialect of await dialectsUnderTest()) {
  describe(`posting the server-rendered form without script on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const clock = manualClock('2026-06-01T10:00:00.000Z');
    let ip = 0;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      const sites = SiteRegistry.fromFile(
        parseSitesConfig(
          {
            sites: [
              { id: 'news', origins: [NEWS, 'https://www.news.example'] },
              { id: 'held', origins: [NEWS], moderation: 'all' },
              { id: 'tight', origins: [NEWS], rateLimits: { perPage: { max: 1, windowSeconds: 600 } } },
              { id: 'open', origins: ['*'] },
            ],
          },
          'test',
        ),
      );
      app = createApp({ store, clock, sites, config: { adminToken: 'admin-token', embedFile: '/nonexistent', secret: 'test-secret', trustProxy: true }, logError: () => {} });
    });
    after(async () => dispose?.());

    /** The fill-time token of the form as the fragment renders it now. */
    const tokenFor = async (site: string, page: string) => {
      const html = await (await app.request(`/render/comments?site=${site}&page=${encodeURIComponent(page)}`)).text();
      return /name="token" value="([^"]+)"/.exec(html)![1]!;
    };
    /** A form a reader filled in over a few seconds. */
    const filled = async (site: string, page: string, fields: Record<string, string> = {}) => {
      const token = await tokenFor(site, page);
      clock.advance(5_000);
      return { site, page, token, website: '', name: 'Nia', email: '', body: `Read it twice ${++ip}`, ...fields };
    };
    const send = (fields: Record<string, string>, headers: Record<string, string> = { origin: NEWS }) =>
      app.request('/render/comments', { method: 'POST', headers: { ...FORM, 'x-forwarded-for': `203.0.113.${++ip % 250}`, ...headers }, body: new URLSearchParams(fields).toString() });
    const thread = async (site: string, page: string) => CommentThreadSchema.parse(await (await app.request(`/api/comments?site=${site}&page=${encodeURIComponent(page)}`)).json());
    const stored = async () => Number((await store.db.selectFrom('comments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    test('a good comment is published and the reader goes back to the page at it (303)', async () => {
      const response = await send({ ...(await filled('news', '/a.html')), return: `${NEWS}/a.html?ref=x` });
      assert.equal(response.status, 303, await response.clone().text());
      const [comment] = (await thread('news', '/a.html')).comments;
      assert.equal(comment!.author.name, 'Nia');
      assert.equal(response.headers.get('location'), `${NEWS}/a.html?ref=x#comment-${comment!.id}`);
      assert.equal(response.headers.get('cache-control'), 'no-store');
    });

    test('without a return field, the page path on the posting origin; a reply names its parent', async () => {
      const [parent] = (await thread('news', '/a.html')).comments;
      const response = await send({ ...(await filled('news', '/a.html')), parentId: parent!.id }, { origin: 'https://www.news.example' });
      assert.equal(response.status, 303);
      const [reply] = (await thread('news', '/a.html')).comments[0]!.replies;
      assert.equal(response.headers.get('location'), `https://www.news.example/a.html#comment-${reply!.id}`);
    });

    test('refused by the honeypot: the reason on a small page, the text kept to try again, nothing stored', async () => {
      const before = await stored();
      const response = await send({ ...(await filled('news', '/a.html')), website: 'https://spam.example', body: 'Buy <b>now</b>' });
      assert.equal(response.status, 422);
      assert.match(response.headers.get('content-type')!, /^text\/html/);
      const page = await response.text();
      assert.match(page, /<p role="alert" class="error">Your comment was not posted: Your comment could not be accepted.<\/p>/);
      assert.match(page, /<textarea name="body"[^>]*>Buy &lt;b&gt;now&lt;\/b&gt;<\/textarea>/);
      assert.match(page, /<a href="https:\/\/news.example\/a.html">/);
      assert.match(page, /name="token" value="[\w-]+\.[0-9a-f]+"/, 'a fresh token to try again');
      assert.equal(await stored(), before);
    });

    test('fill time: no token, a forged one, one for another page or one just rendered is too fast', async () => {
      const before = await stored();
      const good = await filled('news', '/b.html');
      const fresh = await tokenFor('news', '/b.html');
      for (const token of ['', 'forged.abc', await tokenFor('news', '/other.html'), fresh]) {
        const response = await send({ ...good, token });
        assert.equal(response.status, 422, token);
        assert.match(await response.text(), /Your comment was not posted/);
      }
      assert.equal(await stored(), before);
      assert.equal((await send(good)).status, 303, 'the token rendered five seconds ago passes');
    });

    test('held for moderation: the reader is told it waits; it is in no public list', async () => {
      const response = await send(await filled('held', '/a.html'));
      assert.equal(response.status, 200);
      assert.match(await response.text(), /<p role="status">Your comment is waiting for approval.<\/p>/);
      assert.equal((await thread('held', '/a.html')).total, 0);
    });

    test('rate limited: 429 with Retry-After and the reason', async () => {
      assert.equal((await send(await filled('tight', '/a.html'))).status, 303);
      const response = await send(await filled('tight', '/a.html'));
      assert.equal(response.status, 429);
      assert.ok(Number(response.headers.get('retry-after')) > 0);
      assert.match(await response.text(), /posting too fast/);
    });

    test('an empty comment comes back with what to fix; malformed requests get the JSON error shape', async () => {
      const empty = await send({ ...(await filled('news', '/a.html')), body: '   ' });
      assert.equal(empty.status, 400);
      assert.match(await empty.text(), /Check the form: body: must not be empty/);
      const json = await app.request('/render/comments', { method: 'POST', headers: { 'content-type': 'application/json', origin: NEWS }, body: '{}' });
      assert.equal(json.status, 415);
      assert.equal(ErrorBodySchema.parse(await json.json()).error.code, 'unsupported_media_type');
      const extra = await send({ ...(await filled('news', '/a.html')), admin: '1' });
      assert.equal(extra.status, 400);
      assert.equal(ErrorBodySchema.parse(await extra.json()).error.code, 'validation_failed');
    });

    test('CSRF: a post from another origin, or a cross-site one that hides its origin, is refused', async () => {
      const before = await stored();
      for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }] as Array<Record<string, string>>) {
        const response = await send(await filled('news', '/a.html'), headers);
        assert.equal(response.status, 403, JSON.stringify(headers));
        assert.equal(ErrorBodySchema.parse(await response.json()).error.code, 'origin_not_allowed');
      }
      assert.equal(await stored(), before);
    });

    test('no open redirect: the return address must be on one of the site\'s origins, after resolving it as a browser would', async () => {
      const before = await stored();
      for (const target of ['//evil.example/a', '/\\evil.example/a', '\\\\evil.example', 'https://evil.example/a.html', 'http://news.example.evil.example/', 'https://user:pw@news.example/a', 'javascript:alert(1)', 'data:text/html,hi', 'https://news.example:8443/a']) {
        const response = await send({ ...(await filled('news', '/a.html')), return: target });
        assert.equal(response.status, 400, target);
        assert.equal(response.headers.get('location'), null);
        const body = ErrorBodySchema.parse(await response.json());
        assert.deepEqual(body.error.issues?.map((issue) => issue.path), ['return'], target);
      }
      // A page id that is not a path, and no return field: nowhere to go back to.
      assert.equal((await send(await filled('news', 'post-42'))).status, 400);
      assert.equal(await stored(), before);
    });

    test('a site open to any origin sends readers back only to the origin that posted', async () => {
      const ok = await send({ ...(await filled('open', '/p')), return: 'https://blog.example/p' }, { origin: 'https://blog.example' });
      assert.equal(ok.status, 303);
      assert.match(ok.headers.get('location')!, /^https:\/\/blog.example\/p#comment-/);
      const away = await send({ ...(await filled('open', '/p')), return: 'https://evil.example/p' }, { origin: 'https://blog.example' });
      assert.equal(away.status, 400);
      const noOrigin = await send({ ...(await filled('open', '/p')), return: 'https://blog.example/p' }, {});
      assert.equal(noOrigin.status, 400, 'without an Origin there is no origin to trust');
    });
  });
}
