import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorBodySchema, SitePublicSettingsSchema } from '@parley/schema';
import { createApp } from '../app.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../test/helpers.ts';

const NEWS = 'https://news.example';
const EVIL = 'https://evil.example';

async function commentCount(store: Store): Promise<number> {
  const row = await store.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

for (const dialect of await dialectsUnderTest()) {
  describe(`site origins and CORS on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let strictApp: ReturnType<typeof createApp>;
    let openApp: ReturnType<typeof createApp>;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      const config = { adminToken: 'token', embedFile: '/nonexistent/embed.js' };
      const sites = SiteRegistry.fromFile(
        parseSitesConfig({ sites: [{ id: 'news', origins: [NEWS] }, { id: 'open', origins: ['*'] }] }, 'test.json'),
      );
      strictApp = createApp({ store, config, sites, clock: manualClock(), logError: () => {} });
      openApp = createApp({ store, config, clock: manualClock(), logError: () => {} });
    });
    after(async () => dispose?.());

    const postComment = (app: ReturnType<typeof createApp>, body: unknown, headers: Record<string, string>) =>
      app.request('/api/comments', { method: 'POST', headers: { ...jsonHeaders, ...headers }, body: JSON.stringify(body) });

    test('a write from an origin the site does not allow is 403 origin_not_allowed and writes nothing', async () => {
      const before = await commentCount(store);
      const response = await postComment(strictApp, { site: 'news', page: '/a', body: 'hi' }, { origin: EVIL });
      assert.equal(response.status, 403);
      const body = ErrorBodySchema.parse(await response.json());
      assert.equal(body.error.code, 'origin_not_allowed');
      assert.match(body.error.message, /evil\.example/);
      assert.equal(await commentCount(store), before);
    });

    test('an origin allowed by another site still may not write to this one', async () => {
      const before = await commentCount(store);
      // EVIL is allowed by "open" (any origin), so only the body's site can decide.
      const response = await postComment(strictApp, { site: 'news', page: '/a', body: 'hi' }, { origin: EVIL });
      assert.equal(response.status, 403);
      const allowed = await postComment(strictApp, { site: 'open', page: '/a', body: 'hi' }, { origin: EVIL });
      assert.equal(allowed.status, 201);
      assert.equal(await commentCount(store), before + 1);
    });

    test('the allowed origin writes; a script without Origin writes; a hidden cross-site browser request does not', async () => {
      assert.equal((await postComment(strictApp, { site: 'news', page: '/a', body: 'from the page' }, { origin: NEWS })).status, 201);
      assert.equal((await postComment(strictApp, { site: 'news', page: '/a', body: 'from a script' }, {})).status, 201);
      const hidden = await postComment(strictApp, { site: 'news', page: '/a', body: 'x' }, { 'sec-fetch-site': 'cross-site' });
      assert.equal(hidden.status, 403);
    });

    test('Origin: null is refused unless the site allows any origin', async () => {
      assert.equal((await postComment(strictApp, { site: 'news', page: '/a', body: 'x' }, { origin: 'null' })).status, 403);
      assert.equal((await postComment(strictApp, { site: 'open', page: '/a', body: 'x' }, { origin: 'null' })).status, 201);
    });

    test('an oversized body is refused before the site is looked up', async () => {
      const response = await postComment(strictApp, { site: 'news', page: '/a', body: 'x'.repeat(70_000) }, { origin: EVIL });
      assert.equal(response.status, 413);
    });

    test('reads answer CORS only for origins their site allows', async () => {
      const mine = await strictApp.request('/api/comments?site=news&page=%2Fa', { headers: { origin: NEWS } });
      assert.equal(mine.status, 200);
      assert.equal(mine.headers.get('access-control-allow-origin'), NEWS);
      assert.match(mine.headers.get('vary') ?? '', /Origin/);
      const theirs = await strictApp.request('/api/comments?site=news&page=%2Fa', { headers: { origin: EVIL } });
      assert.equal(theirs.headers.get('access-control-allow-origin'), null);
      const open = await strictApp.request('/api/comments?site=open&page=%2Fa', { headers: { origin: EVIL } });
      assert.equal(open.headers.get('access-control-allow-origin'), EVIL);
      const preflight = await strictApp.request('/api/comments', {
        method: 'OPTIONS',
        headers: { origin: NEWS, 'access-control-request-method': 'POST' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), NEWS);
    });

    test('edit, like and delete are checked against the site of the comment they name', async () => {
      const posted = await postComment(strictApp, { site: 'news', page: '/by-id', body: 'mine' }, { origin: NEWS });
      assert.equal(posted.status, 201);
      const { id, editToken } = (await posted.json()) as { id: string; editToken: string };
      const send = (method: string, path: string, origin: string, body?: unknown) =>
        strictApp.request(path, {
          method,
          headers: { ...jsonHeaders, origin, 'parley-edit-token': editToken },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      // Claiming the any-origin site in the body does not help: the comment belongs to "news".
      const edit = await send('PATCH', `/api/comments/${id}`, EVIL, { site: 'open', body: 'hijacked' });
      assert.equal(edit.status, 403);
      assert.equal(ErrorBodySchema.parse(await edit.json()).error.code, 'origin_not_allowed');
      assert.equal((await send('POST', `/api/comments/${id}/like`, EVIL, { site: 'open', readerId: 'r'.repeat(20), liked: true })).status, 403);
      assert.equal((await send('DELETE', `/api/comments/${id}?site=open`, EVIL)).status, 403);
      assert.equal((await send('POST', `/api/comments/${id}/like`, NEWS, { site: 'news', readerId: 'r'.repeat(20), liked: true })).status, 200);
      assert.notEqual((await send('PATCH', `/api/comments/${id}`, NEWS, { site: 'news', body: 'edited' })).status, 403);
      // An unknown id is the route's 404, not an origin decision.
      assert.equal((await send('PATCH', '/api/comments/01J0000000000000000000000Z', EVIL, { site: 'news', body: 'x' })).status, 404);
    });

    test('GET /api/sites/:id tells the widget its public rules, nothing more', async () => {
      const response = await strictApp.request('/api/sites/news', { headers: { origin: NEWS } });
      assert.equal(response.status, 200);
      assert.deepEqual(SitePublicSettingsSchema.strict().parse(await response.json()), {
        id: 'news', moderation: 'open', editWindowSeconds: 900, maxLinks: 3, honeypot: true, minFillSeconds: 3,
      });
      assert.equal(ErrorBodySchema.parse(await (await strictApp.request('/api/sites/nope')).json()).error.code, 'site_not_found');
      assert.equal((await openApp.request('/api/sites/anything')).status, 200);
    });

    test('GET /api/sites/:id carries CORS for its own origins, and on a 404 for an unknown site', async () => {
      const known = await strictApp.request('/api/sites/news', { headers: { origin: NEWS } });
      assert.equal(known.headers.get('access-control-allow-origin'), NEWS);
      // The widget must be able to read why: an unknown site's 404 is readable by a page of ours.
      const unknown = await strictApp.request('/api/sites/nope', { headers: { origin: NEWS } });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.headers.get('access-control-allow-origin'), NEWS);
      // A stranger's page cannot read a site's settings.
      assert.equal((await strictApp.request('/api/sites/news', { headers: { origin: EVIL } })).headers.get('access-control-allow-origin'), null);
    });

    test('reads naming a site the file does not list are 404 site_not_found (a typo shows, not an empty thread); a malformed id stays 400', async () => {
      const code = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;
      for (const path of ['/api/comments?site=nope&page=/a', '/api/related?site=nope&page=/a', '/api/stream?site=nope&page=/a', '/api/comments?page=/a']) {
        const response = await strictApp.request(path, { headers: { origin: NEWS } });
        assert.equal(response.status, 404, path);
        assert.equal(await code(response), 'site_not_found', path);
        assert.equal(response.headers.get('access-control-allow-origin'), NEWS, `${path}: the widget can read why`);
      }
      const counts = await strictApp.request('/api/counts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'nope', pages: ['/a'] }) });
      assert.equal(counts.status, 404);
      assert.equal(await code(counts), 'site_not_found');
      assert.equal((await strictApp.request('/api/comments?site=news&page=/a')).status, 200);
      assert.equal((await strictApp.request('/api/counts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'news', pages: ['/a'] }) })).status, 200);
      const malformed = await strictApp.request('/api/comments?site=no%20pe!&page=/a');
      assert.equal(malformed.status, 400);
      assert.equal((await openApp.request('/api/comments?site=anything&page=/a')).status, 200, 'without a file every site exists');
    });

    test('without a sites file: any origin, "*" CORS, as before', async () => {
      const response = await postComment(openApp, { site: 'anything', page: '/a', body: 'hi' }, { origin: EVIL });
      assert.equal(response.status, 201);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
    });
  });
}
