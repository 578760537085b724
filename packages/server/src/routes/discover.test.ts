import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ArticleDiscoverResultSchema, ErrorBodySchema, RelatedResponseSchema } from '@parley/schema';
import { createApp } from '../app.ts';
import { DISCOVERY_LIMITS } from '../services/articles.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../test/helpers.ts';

const ADMIN_TOKEN = 'test-admin-token';
const NEWS = 'https://news.example';

const sites = () =>
  SiteRegistry.fromFile(
    parseSitesConfig(
      {
        sites: [
          { id: 'news', origins: [NEWS, 'https://www.news.example'], discovery: true },
          { id: 'quiet', origins: [NEWS] },
        ],
      },
      'test.json',
    ),
  );

for (const dialect of await dialectsUnderTest()) {
  describe(`POST /api/articles/discover on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const clock = manualClock();
    let ipCounter = 0;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      app = createApp({
        store,
        clock,
        sites: sites(),
        config: { adminToken: ADMIN_TOKEN, embedFile: '/nonexistent/embed.js', trustProxy: true, secret: 'test-secret' },
        logError: () => {},
      });
    });
    after(async () => dispose?.());

    /** As `navigator.sendBeacon` sends it: text/plain, an Origin; each call from a fresh IP unless one is given. */
    const discover = (body: unknown, options: { origin?: string | null; ip?: string; contentType?: string } = {}) => {
      const headers: Record<string, string> = {
        'content-type': options.contentType ?? 'text/plain;charset=UTF-8',
        'x-forwarded-for': options.ip ?? `203.0.113.${(ipCounter += 1)}`,
      };
      if (options.origin !== null) headers.origin = options.origin ?? NEWS;
      return app.request('/api/articles/discover', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    };
    const row = (url: string) =>
      store.db.selectFrom('articles').selectAll().where('site', '=', 'news').where('page_key', '=', url).executeTakeFirst();
    const errorCode = async (response: Response) => ErrorBodySchema.parse(await response.json()).error.code;

    test('a page on an allowed origin reports itself: stored as discovered, and the ranker sees it at once', async () => {
      const seed = await app.request('/api/articles', {
        method: 'PUT',
        headers: { ...jsonHeaders, authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ site: 'news', articles: [{ url: '/garden/tomatoes', title: 'Growing tomatoes on a balcony', tags: ['gardening', 'tomatoes'] }] }),
      });
      assert.equal(seed.status, 200);
      const response = await discover({
        site: 'news',
        url: `${NEWS}/garden/herbs?utm_source=x`,
        title: 'Herbs and tomatoes in balcony pots',
        description: 'Rosemary and thyme next to the tomatoes',
        image: '/img/herbs.jpg',
        tags: ['gardening', 'herbs'],
        section: 'Garden',
        publishedAt: '2025-12-03T09:00:00+01:00',
      });
      assert.equal(response.status, 200);
      assert.deepEqual(ArticleDiscoverResultSchema.parse(await response.json()), { site: 'news', url: `${NEWS}/garden/herbs?utm_source=x`, stored: true });
      const stored = await row('/garden/herbs');
      assert.equal(stored?.source, 'discovered');
      assert.equal(stored?.title, 'Herbs and tomatoes in balcony pots');
      assert.equal(stored?.image, '/img/herbs.jpg');
      assert.deepEqual(JSON.parse(stored!.tags), ['gardening', 'herbs']);
      assert.equal(stored?.section, 'Garden');
      assert.equal(stored?.published_at, '2025-12-03T08:00:00.000Z');
      const related = RelatedResponseSchema.parse(await (await app.request('/api/related?site=news&page=/garden/tomatoes')).json());
      assert.ok(related.items.some((item) => item.title === 'Herbs and tomatoes in balcony pots'));

      // A relative URL (and application/json from fetch) is fine too; a second report never retitles
      // what was discovered first (issue 14: first writer wins, the owner's import decides).
      const again = await discover({ site: 'news', url: '/garden/herbs/', title: 'Herbs in pots' }, { contentType: 'application/json' });
      assert.equal(again.status, 200);
      assert.equal(ArticleDiscoverResultSchema.parse(await again.json()).stored, false);
      assert.equal((await row('/garden/herbs'))?.title, 'Herbs and tomatoes in balcony pots');
      // Any of the site's origins may report its own URLs.
      assert.equal((await discover({ site: 'news', url: 'https://www.news.example/garden/mint', title: 'Mint' }, { origin: 'https://www.news.example' })).status, 200);
    });

    test('never overwrites what the owner imported', async () => {
      const response = await discover({ site: 'news', url: `${NEWS}/garden/tomatoes`, title: 'Defaced title', tags: ['spam'] });
      assert.equal(response.status, 200);
      assert.equal(ArticleDiscoverResultSchema.parse(await response.json()).stored, false);
      const kept = await row('/garden/tomatoes');
      assert.equal(kept?.title, 'Growing tomatoes on a balcony');
      assert.equal(kept?.source, 'owner');
      assert.deepEqual(JSON.parse(kept!.tags), ['gardening', 'tomatoes']);
      // And the owner's import takes a discovered page over.
      const put = await app.request('/api/articles', {
        method: 'PUT',
        headers: { ...jsonHeaders, authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ site: 'news', articles: [{ url: '/garden/herbs', title: 'Herbs, by the editor' }] }),
      });
      assert.equal(put.status, 200);
      assert.equal((await row('/garden/herbs'))?.source, 'owner');
      assert.equal(ArticleDiscoverResultSchema.parse(await (await discover({ site: 'news', url: '/garden/herbs', title: 'Herbs again' })).json()).stored, false);
      assert.equal((await row('/garden/herbs'))?.title, 'Herbs, by the editor');
    });

    test('refuses other origins, pages without an Origin, URLs of another origin, sites that did not opt in, unknown sites', async () => {
      const report = { site: 'news', url: '/garden/evil', title: 'Planted' };
      const evil = await discover(report, { origin: 'https://evil.example' });
      assert.equal(evil.status, 403);
      assert.equal(await errorCode(evil), 'origin_not_allowed');
      const noOrigin = await discover(report, { origin: null });
      assert.equal(noOrigin.status, 403);
      assert.equal(await errorCode(noOrigin), 'origin_not_allowed');
      // An allowed page may not report a URL on another origin, even another of the site's.
      for (const url of ['https://evil.example/garden/evil', 'https://www.news.example/garden/evil']) {
        const foreign = await discover({ ...report, url });
        assert.equal(foreign.status, 403, url);
        assert.equal(await errorCode(foreign), 'origin_not_allowed');
      }
      const off = await discover({ ...report, site: 'quiet' });
      assert.equal(off.status, 403);
      assert.equal(await errorCode(off), 'forbidden');
      const unknown = await discover({ ...report, site: 'nope' });
      assert.equal(unknown.status, 404);
      assert.equal(await errorCode(unknown), 'site_not_found');
      assert.equal(await row('/garden/evil'), undefined);
    });

    test('bad input is a 4xx and writes nothing', async () => {
      const cases: [unknown, number, string][] = [
        ['{not json', 400, 'invalid_json'],
        [{ site: 'news', url: '/garden/bad' }, 400, 'validation_failed'],
        [{ site: 'news', url: 'javascript:alert(1)', title: 'x' }, 400, 'validation_failed'],
        [{ site: 'news', url: '//evil.example/garden/bad', title: 'x' }, 400, 'validation_failed'],
        [{ site: 'news', url: '/garden/bad', title: 'x', image: 'data:image/png;base64,AAAA' }, 400, 'validation_failed'],
        [{ site: 'news', url: '/garden/bad', title: 'x', publishedAt: 'yesterday' }, 400, 'validation_failed'],
        [{ site: 'news', url: '/garden/bad', title: 'x', body: 'not accepted from pages' }, 400, 'validation_failed'],
        [{ site: 'news', url: '/garden/bad', title: 'x', tags: Array.from({ length: 31 }, (_, i) => `t${i}`) }, 400, 'validation_failed'],
        [{ site: 'news', url: '/garden/bad', title: 'x'.repeat(70_000) }, 413, 'payload_too_large'],
      ];
      for (const [body, status, code] of cases) {
        const response = await discover(body);
        assert.equal(response.status, status, JSON.stringify(body).slice(0, 80));
        assert.equal(await errorCode(response), code);
      }
      const wrongMethod = await app.request('/api/articles/discover');
      assert.equal(wrongMethod.status, 405);
      assert.equal(await row('/garden/bad'), undefined);
    });

    test(`rate limited per IP: ${DISCOVERY_LIMITS.perIp.max} reports per ${DISCOVERY_LIMITS.perIp.windowSeconds} s, then 429 with Retry-After`, async () => {
      const ip = '198.51.100.7';
      for (let i = 0; i < DISCOVERY_LIMITS.perIp.max; i += 1) {
        assert.equal((await discover({ site: 'news', url: `/flood/${i}`, title: `Page ${i}` }, { ip })).status, 200);
      }
      const limited = await discover({ site: 'news', url: '/flood/over', title: 'One too many' }, { ip });
      assert.equal(limited.status, 429);
      assert.equal(await errorCode(limited), 'rate_limited');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.equal(await row('/flood/over'), undefined);
      assert.equal((await discover({ site: 'news', url: '/flood/other-ip', title: 'Another reader' })).status, 200, 'another IP has its own budget');
      clock.advance(DISCOVERY_LIMITS.perIp.windowSeconds * 1000);
      assert.equal((await discover({ site: 'news', url: '/flood/over', title: 'Next window' }, { ip })).status, 200);
    });
  });
}
