import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RelatedClicksResponseSchema, RelatedResponseSchema } from '@parley/schema';
import { createApp } from '../app.ts';
import { CLICK_LIMIT } from '../services/related.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../test/helpers.ts';

const ADMIN_TOKEN = 'test-admin-token';
const adminHeaders = { ...jsonHeaders, authorization: `Bearer ${ADMIN_TOKEN}` };

const ARTICLES = [
  { url: '/garden/tomatoes', title: 'Growing tomatoes on a balcony', tags: ['gardening'], body: 'tomatoes compost pots watering', publishedAt: '2025-12-01T00:00:00Z' },
  { url: '/garden/compost', title: 'Compost for beginners', tags: ['gardening'], body: 'compost soil vegetables', publishedAt: '2025-12-02T00:00:00Z' },
  { url: '/garden/herbs', title: 'Herbs in pots', tags: ['gardening'], body: 'rosemary thyme pots watering', publishedAt: '2025-12-03T00:00:00Z' },
  { url: '/money/rates', title: 'Interest rates rise', tags: ['economy'], body: 'bank rates mortgages', publishedAt: '2025-12-04T00:00:00Z' },
  { url: '/garden/draft', title: 'Tomatoes compost draft', tags: ['gardening'], body: 'tomatoes compost pots', published: false },
];

for (const dialect of await dialectsUnderTest()) {
  describe(`related articles API on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const clock = manualClock();

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      app = createApp({ store, clock, config: { adminToken: ADMIN_TOKEN, embedFile: '/nonexistent/embed.js' }, logError: () => {} });
      const put = await app.request('/api/articles', { method: 'PUT', headers: adminHeaders, body: JSON.stringify({ site: 'news', articles: ARTICLES }) });
      assert.equal(put.status, 200);
    });
    after(async () => dispose?.());

    const related = async (page: string) =>
      RelatedResponseSchema.parse(await (await app.request(`/api/related?site=news&page=${encodeURIComponent(page)}&limit=3`)).json()).items;

    test('ranks by content, never shows the page itself or an unpublished article, reports comment counts', async () => {
      const items = await related('/garden/tomatoes');
      assert.deepEqual(new Set(items.slice(0, 2).map((i) => i.url)), new Set(['/garden/compost', '/garden/herbs']));
      assert.ok(!items.some((i) => i.url === '/garden/tomatoes' || i.url === '/garden/draft'));
      assert.ok(items.every((i) => i.commentCount === 0));
    });

    test('pins need the admin token, come first, and can be cleared', async () => {
      const body = JSON.stringify({ site: 'news', page: '/garden/tomatoes', pins: ['/money/rates'] });
      assert.equal((await app.request('/api/related/pins', { method: 'PUT', headers: jsonHeaders, body })).status, 401);
      const pinned = await app.request('/api/related/pins', { method: 'PUT', headers: adminHeaders, body });
      assert.equal(pinned.status, 200);
      assert.equal((await related('/garden/tomatoes'))[0]!.url, '/money/rates');
      await app.request('/api/related/pins', { method: 'PUT', headers: adminHeaders, body: JSON.stringify({ site: 'news', page: '/garden/tomatoes', pins: [] }) });
      assert.notEqual((await related('/garden/tomatoes'))[0]!.url, '/money/rates');
    });

    test('a beacon click (text/plain) is counted per article, and the admin API reports it', async () => {
      const beacon = (target: string) =>
        app.request('/api/related/click', { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify({ site: 'news', page: '/garden/tomatoes', target }) });
      assert.equal((await beacon('/garden/compost')).status, 204);
      assert.equal((await beacon('https://news.example/garden/compost')).status, 204);
      assert.equal((await beacon('/garden/herbs')).status, 204);
      assert.equal((await app.request('/api/related/click', { method: 'POST', body: 'nope' })).status, 400);
      assert.equal((await app.request('/api/admin/related/clicks?site=news')).status, 401);
      const report = RelatedClicksResponseSchema.parse(await (await app.request('/api/admin/related/clicks?site=news', { headers: adminHeaders })).json());
      assert.deepEqual(report.items, [
        { url: '/garden/compost', title: 'Compost for beginners', clicks: 2 },
        { url: '/garden/herbs', title: 'Herbs in pots', clicks: 1 },
      ]);
    });

    test('DELETE /api/articles removes an article from the store and the index; a second delete is 404', async () => {
      const del = () => app.request('/api/articles?site=news&url=%2Fgarden%2Fcompost', { method: 'DELETE', headers: adminHeaders });
      assert.equal((await app.request('/api/articles?site=news&url=%2Fgarden%2Fcompost', { method: 'DELETE' })).status, 401);
      assert.equal((await del()).status, 200);
      assert.ok(!(await related('/garden/tomatoes')).some((i) => i.url === '/garden/compost'));
      assert.equal((await del()).status, 404);
    });
  });
}

for (const dialect of await dialectsUnderTest()) {
  describe(`related click beacon: origin check and rate limit on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const clock = manualClock();

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      const sites = SiteRegistry.fromFile(parseSitesConfig({ sites: [{ id: 'news', origins: ['https://news.example'] }] }, 'test.json'));
      app = createApp({ store, clock, sites, config: { adminToken: ADMIN_TOKEN, embedFile: '/nonexistent/embed.js', trustProxy: true, secret: 'test-secret' }, logError: () => {} });
      // Only articles of the site can be clicked (issue 14).
      const seeded = await app.request('/api/articles', { method: 'PUT', headers: { ...adminHeaders, 'content-type': 'application/json' }, body: JSON.stringify({ site: 'news', articles: [{ url: '/garden/compost', title: 'Compost' }] }) });
      assert.equal(seeded.status, 200);
    });
    after(async () => dispose?.());

    const beacon = (headers: Record<string, string>, site = 'news') =>
      app.request('/api/related/click', {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', 'x-forwarded-for': '192.0.2.1', ...headers },
        body: JSON.stringify({ site, page: '/garden/tomatoes', target: '/garden/compost' }),
      });
    const clicks = async () =>
      RelatedClicksResponseSchema.parse(await (await app.request('/api/admin/related/clicks?site=news', { headers: adminHeaders })).json()).items[0]?.clicks ?? 0;

    test('counted from the site\'s origin; refused from another origin, cross-site without Origin, or for an unknown site', async () => {
      assert.equal((await beacon({ origin: 'https://news.example' })).status, 204);
      assert.equal((await beacon({ origin: 'https://evil.example' })).status, 403);
      assert.equal((await beacon({ 'sec-fetch-site': 'cross-site' })).status, 403);
      assert.equal((await beacon({ origin: 'https://news.example' }, 'other')).status, 404);
      assert.equal(await clicks(), 1);
    });

    test(`at most ${CLICK_LIMIT.max} per IP in ${CLICK_LIMIT.windowSeconds} s, then 429 with Retry-After; another IP is counted`, async () => {
      const ip = { origin: 'https://news.example', 'x-forwarded-for': '192.0.2.99' };
      for (let i = 0; i < CLICK_LIMIT.max; i += 1) assert.equal((await beacon(ip)).status, 204);
      const limited = await beacon(ip);
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.equal((await beacon({ origin: 'https://news.example', 'x-forwarded-for': '192.0.2.100' })).status, 204);
      assert.equal(await clicks(), 1 + CLICK_LIMIT.max + 1);
    });
  });
}
