import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RelatedFeedbackResponseSchema, RelatedResponseSchema } from '@parley/schema';
import { createApp } from '../app.ts';
import { DEFAULT_RELATED_SETTINGS } from '../recommend/settings.ts';
import { COVISITS_PER_ADDRESS_PER_DAY } from '../services/related.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../test/helpers.ts';

const ADMIN_TOKEN = 'test-admin-token';
const adminHeaders = { ...jsonHeaders, authorization: `Bearer ${ADMIN_TOKEN}` };
const ORIGIN = 'https://news.example';

const ARTICLES = [
  { url: '/garden/tomatoes', title: 'Growing tomatoes on a balcony', tags: ['gardening'], body: 'tomatoes compost pots watering' },
  { url: '/garden/compost', title: 'Compost for beginners', tags: ['gardening'], body: 'compost soil vegetables' },
  { url: '/garden/herbs', title: 'Herbs in pots', tags: ['gardening'], body: 'rosemary thyme pots watering' },
  { url: '/garden/seeds', title: 'Saving seeds', tags: ['gardening'], body: 'seeds paper envelopes' },
];

for (const dialect of await dialectsUnderTest()) {
  describe(`related feedback: impressions, click-through, co-visits on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    const clock = manualClock();
    const sites = SiteRegistry.fromFile(parseSitesConfig({ sites: [{ id: 'news', origins: [ORIGIN] }] }, 'test.json'));
    /** A fresh app (and so a fresh recommender, which reads the co-visits when it builds the site). */
    const newApp = () => createApp({ store, clock, sites, config: { adminToken: ADMIN_TOKEN, embedFile: '/nonexistent/embed.js', trustProxy: true, secret: 'test-secret' }, logError: () => {} });
    let app: ReturnType<typeof createApp>;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      app = newApp();
      const put = await app.request('/api/articles', { method: 'PUT', headers: adminHeaders, body: JSON.stringify({ site: 'news', articles: ARTICLES }) });
      assert.equal(put.status, 200);
    });
    after(async () => dispose?.());

    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      app.request(`/api/related/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN, 'x-forwarded-for': '192.0.2.1', ...headers },
        body: JSON.stringify(body),
      });
    const feedback = async () => RelatedFeedbackResponseSchema.parse(await (await app.request('/api/admin/related/feedback?site=news', { headers: adminHeaders })).json());
    const related = async (page: string) => RelatedResponseSchema.parse(await (await app.request(`/api/related?site=news&page=${encodeURIComponent(page)}&limit=3`)).json()).items.map((item) => item.url);

    test('impressions and clicks are counted per position and per article; CTR is clicks over impressions', async () => {
      const seen = [
        { target: '/garden/compost', position: 0 },
        { target: '/garden/herbs', position: 1 },
        { target: '/garden/compost', position: 0 }, // the same card twice in one beacon counts once
      ];
      assert.equal((await post('impressions', { site: 'news', page: '/garden/tomatoes', seen })).status, 204);
      assert.equal((await post('impressions', { site: 'news', page: '/garden/tomatoes', seen: seen.slice(0, 1) })).status, 204);
      assert.equal((await post('click', { site: 'news', page: '/garden/tomatoes', target: '/garden/compost', position: 0 })).status, 204);

      const report = await feedback();
      assert.deepEqual(report.byPosition, [
        { position: 0, impressions: 2, clicks: 1, ctr: 0.5 },
        { position: 1, impressions: 1, clicks: 0, ctr: 0 },
      ]);
      assert.deepEqual(report.byArticle[0], { url: '/garden/compost', title: 'Compost for beginners', impressions: 2, clicks: 1, ctr: 0.5 });
    });

    test('impression beacons are origin-checked and validated like clicks', async () => {
      const body = { site: 'news', page: '/garden/tomatoes', seen: [{ target: '/garden/herbs', position: 1 }] };
      assert.equal((await post('impressions', body, { origin: 'https://evil.example' })).status, 403);
      assert.equal((await post('impressions', { ...body, seen: [] })).status, 400);
      assert.equal((await post('impressions', { ...body, seen: [{ target: '/garden/herbs', position: 99 }] })).status, 400);
      const error = (await (await post('impressions', 'not an object')).json()) as { error: { code: string } };
      assert.equal(typeof error.error.code, 'string');
    });

    test('co-visits re-rank once enough distinct addresses went from A to B; one address clicking many times does not', async () => {
      const before = await related('/garden/tomatoes');
      // The second card: relevant too (co-visits re-rank the relevant pool; they never bring in the unrelated).
      const last = before[1]!;
      // One address, again and again: counted as one co-visit (and within its rate limit).
      for (let i = 0; i < 25; i += 1) await post('click', { site: 'news', page: '/garden/tomatoes', target: last, position: 2 }, { 'x-forwarded-for': '198.51.100.7' });
      app = newApp();
      assert.deepEqual(await related('/garden/tomatoes'), before);

      // Distinct readers past the threshold: the card they chose moves up.
      for (let i = 0; i < DEFAULT_RELATED_SETTINGS.covisitThreshold; i += 1) {
        await post('click', { site: 'news', page: '/garden/tomatoes', target: last, position: 2 }, { 'x-forwarded-for': `203.0.113.${i + 1}` });
      }
      app = newApp();
      assert.equal((await related('/garden/tomatoes'))[0], last);
    });

    test(`one address adds at most ${COVISITS_PER_ADDRESS_PER_DAY} co-visits a day, whatever pairs it names`, async () => {
      const rows = () => store.db.selectFrom('related_covisits').select((eb) => eb.fn.sum<number>('visits').as('visits')).where('site', '=', 'news').executeTakeFirstOrThrow();
      const start = Number((await rows()).visits ?? 0);
      const pages = Array.from({ length: 8 }, (_, i) => `/elsewhere/${i}`);
      const targets = ARTICLES.map((a) => a.url);
      let sent = 0;
      // 32 different pairs from one address (rate limit: 30 a minute, so the clock moves on).
      for (const page of pages) for (const target of targets) {
        clock.advance(2_100);
        assert.equal((await post('click', { site: 'news', page, target }, { 'x-forwarded-for': '198.51.100.200' })).status, 204);
        sent += 1;
      }
      assert.ok(sent > COVISITS_PER_ADDRESS_PER_DAY);
      assert.equal(Number((await rows()).visits) - start, COVISITS_PER_ADDRESS_PER_DAY);
    });
  });
}
