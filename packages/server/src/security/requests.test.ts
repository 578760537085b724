import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, skipReason } from '../test/helpers.ts';
import { bearer, postComment, securityApp, twoSites } from './helpers.ts';

/**
 * Issue 14, points 3, 5 and 8 (beacon): what a request names is checked where it is used.
 * - 3: article URLs resolve (WHATWG) onto the site; discovery never retitles; `/a1/` is `/a1`.
 * - 5: one place decides the site of a comment post (the body), and the origin check uses it.
 * - 8: the related-click beacon counts only articles of the site.
 */
for (const dialect of await dialectsUnderTest()) {
  describe(`security: sites, article URLs and beacons on ${dialect.name}`, { skip: skipReason(dialect), timeout: 180_000 }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof securityApp>['app'];

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      ({ app } = securityApp(store, { sites: twoSites({ news: { discovery: true } }) }));
    });
    after(async () => dispose?.());

    const stored = async (site: string) => (await store.db.selectFrom('comments').select('id').where('site', '=', site).execute()).length;
    const importArticles = (articles: unknown[], site = 'news') =>
      app.request('/api/articles', { method: 'PUT', headers: { ...jsonHeaders, ...bearer }, body: JSON.stringify({ site, articles }) });
    const discover = (report: Record<string, unknown>, origin = 'https://news.example') =>
      app.request('/api/articles/discover', { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', origin, 'x-forwarded-for': '198.51.100.20' }, body: JSON.stringify({ site: 'news', ...report }) });

    test('5: POST /api/comments?site=news with news\'s Origin and body site blog stores nothing in blog', async () => {
      const before = await stored('blog');
      const mismatch = await postComment(app, { site: 'blog', body: 'Smuggled' }, { origin: 'https://news.example', query: '?site=news', status: 400 });
      assert.equal(mismatch.error.code, 'validation_failed');
      // Without the query the body's site is the one checked: news's origin may not write to blog.
      const foreign = await postComment(app, { site: 'blog', body: 'Smuggled again' }, { origin: 'https://news.example', status: 403 });
      assert.equal(foreign.error.code, 'origin_not_allowed');
      assert.equal(await stored('blog'), before);
      // The honest cases still work.
      await postComment(app, { site: 'blog', body: 'Hello blog' }, { origin: 'https://blog.example', query: '?site=blog', status: 201 });
      await postComment(app, { site: 'news', body: 'Hello news' }, { origin: 'https://news.example', status: 201 });
    });

    test('3: paths that browsers resolve to another host are refused as url and as image (import and discovery)', async () => {
      const tricks = ['/\\evil.example/phish', '/\t/evil.example/x', '//evil.example', '/\\/evil.example', '\\\\evil.example/x'];
      for (const url of tricks) {
        assert.equal((await importArticles([{ url, title: 'Phish' }])).status, 400, `import url ${JSON.stringify(url)}`);
        assert.equal((await importArticles([{ url: '/fine', title: 'Fine', image: url }])).status, 400, `import image ${JSON.stringify(url)}`);
        assert.equal((await discover({ url, title: 'Phish' })).status, 400, `discover url ${JSON.stringify(url)}`);
        assert.equal((await discover({ url: '/fine-too', title: 'Fine', image: url })).status, 400, `discover image ${JSON.stringify(url)}`);
      }
      // An absolute URL must be on the site's origin; discovery's images too.
      assert.equal((await importArticles([{ url: 'https://evil.example/a', title: 'Elsewhere' }])).status, 400);
      assert.equal((await discover({ url: '/pics', title: 'Pics', image: 'https://evil.example/pixel.gif' })).status, 403);
      const rows = await store.db.selectFrom('articles').select(['url', 'image']).execute();
      for (const row of rows) {
        for (const value of [row.url, row.image]) if (value) assert.equal(new URL(value, 'https://news.example').host.endsWith('evil.example'), false, value);
      }
    });

    test('3: discovery never retitles an article another page discovered; /a1/ and /a1 are one page', async () => {
      assert.equal((await discover({ url: '/a1', title: 'The real title' })).status, 200);
      const second = await discover({ url: 'https://news.example/a1/', title: 'Defaced by another page' });
      assert.equal(second.status, 200);
      assert.equal(((await second.json()) as { stored: boolean }).stored, false);
      const rows = await store.db.selectFrom('articles').select(['page_key', 'title']).where('site', '=', 'news').where('page_key', 'like', '/a1%').execute();
      assert.deepEqual(rows, [{ page_key: '/a1', title: 'The real title' }]);
      // The owner decides.
      assert.equal((await importArticles([{ url: '/a1/', title: 'Owner title' }])).status, 200);
      const owned = await store.db.selectFrom('articles').select(['page_key', 'title']).where('site', '=', 'news').where('page_key', 'like', '/a1%').execute();
      assert.deepEqual(owned, [{ page_key: '/a1', title: 'Owner title' }]);
    });

    test('8: the click beacon counts only articles of that site', async () => {
      assert.equal((await importArticles([{ url: '/clicked', title: 'Clicked' }])).status, 200);
      const click = (target: string) =>
        app.request('/api/related/click', { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://news.example', 'x-forwarded-for': '198.51.100.30' }, body: JSON.stringify({ site: 'news', page: '/a1', target }) });
      assert.equal((await click('/clicked/')).status, 204);
      assert.equal((await click('/made-up-target')).status, 400);
      assert.equal((await click('https://evil.example/x')).status, 400);
      const keys = (await store.db.selectFrom('related_clicks').select('target_key').where('site', '=', 'news').execute()).map((row) => row.target_key);
      assert.deepEqual(keys, ['/clicked']);
    });
  });
}
