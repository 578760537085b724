import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RelatedResponseSchema } from '@parley/schema';
import { createApp } from '../app.ts';
import { parseSitesConfig, SitesConfigError } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import { dialectsUnderTest, jsonHeaders, manualClock } from '../test/helpers.ts';
import { DEFAULT_RELATED_SETTINGS, relatedSettingsResolver, withSiteRelatedSettings } from './settings.ts';

describe('per-site ranker settings in the sites file', () => {
  test('`related` is optional, `discovery` defaults to off: existing files stay valid', () => {
    const { sites } = parseSitesConfig({ sites: [{ id: 'news' }] }, 'x.json');
    assert.equal(sites[0]!.discovery, false);
    assert.equal(sites[0]!.related, undefined);
  });

  test('a bad `related` section is refused, naming the key', () => {
    for (const [related, key] of [
      [{ bm25: { k1: 99 } }, 'sites.0.related.bm25.k1'],
      [{ scoring: 'magic' }, 'sites.0.related.scoring'],
      [{ recencyHalfLife: 30 }, 'sites.0.related'],
    ] as const) {
      assert.throws(
        () => parseSitesConfig({ sites: [{ id: 'news', related }] }, 'x.json'),
        (error: unknown) => error instanceof SitesConfigError && error.problems.some((problem) => problem.startsWith(`${key}:`)),
        JSON.stringify(related),
      );
    }
  });

  test('the sites file wins field by field over PARLEY_RELATED, which wins over the defaults', () => {
    const { sites } = parseSitesConfig(
      {
        sites: [
          { id: 'news', related: { diversity: 0.4, bm25: { b: 0.9 }, fieldWeights: { tags: 5 } } },
          { id: 'blog' },
        ],
      },
      'x.json',
    );
    const env = { defaults: { candidatePool: 50, diversity: 0.2 }, sites: { news: { bm25: { k1: 1.5 }, fieldWeights: { title: 3 }, diversity: 0.3 } } };
    const settingsOf = relatedSettingsResolver(withSiteRelatedSettings(env, sites));
    const news = settingsOf('news');
    assert.equal(news.diversity, 0.4);
    assert.deepEqual(news.bm25, { k1: 1.5, b: 0.9 });
    assert.deepEqual(news.fieldWeights, { ...DEFAULT_RELATED_SETTINGS.fieldWeights, title: 3, tags: 5 });
    assert.equal(news.candidatePool, 50);
    const blog = settingsOf('blog');
    assert.equal(blog.diversity, 0.2);
    assert.deepEqual(blog.bm25, DEFAULT_RELATED_SETTINGS.bm25);
    assert.deepEqual(settingsOf('unlisted'), { ...DEFAULT_RELATED_SETTINGS, candidatePool: 50, diversity: 0.2, excludePaths: [] });
    assert.deepEqual(relatedSettingsResolver(withSiteRelatedSettings(undefined, []))('news'), { ...DEFAULT_RELATED_SETTINGS, excludePaths: [] });
  });

  test('the app ranks each site with its own settings (excludePaths from the sites file)', async () => {
    const [sqlite] = await dialectsUnderTest();
    const { store, dispose } = await sqlite!.open();
    try {
      const sites = SiteRegistry.fromFile(
        parseSitesConfig({ sites: [{ id: 'news', related: { excludePaths: ['/garden/herbs'] } }, { id: 'blog' }] }, 'x.json'),
      );
      const app = createApp({ store, clock: manualClock(), sites, config: { adminToken: 'token', embedFile: '/nonexistent/embed.js', related: { defaults: { excludePaths: ['/garden/compost'] } } }, logError: () => {} });
      const articles = [
        { url: '/garden/tomatoes', title: 'Growing tomatoes in pots', tags: ['gardening'] },
        { url: '/garden/herbs', title: 'Herbs in pots', tags: ['gardening'] },
        { url: '/garden/compost', title: 'Compost for pots', tags: ['gardening'] },
        { url: '/garden/seeds', title: 'Seeds for pots', tags: ['gardening'] },
      ];
      for (const site of ['news', 'blog']) {
        const put = await app.request('/api/articles', { method: 'PUT', headers: { ...jsonHeaders, authorization: 'Bearer token' }, body: JSON.stringify({ site, articles }) });
        assert.equal(put.status, 200);
      }
      const urls = async (site: string) =>
        RelatedResponseSchema.parse(await (await app.request(`/api/related?site=${site}&page=/garden/tomatoes`)).json()).items.map((item) => item.url).sort();
      // news: its own excludePaths replace PARLEY_RELATED's; blog: PARLEY_RELATED's apply.
      assert.deepEqual(await urls('news'), ['/garden/compost', '/garden/seeds']);
      assert.deepEqual(await urls('blog'), ['/garden/herbs', '/garden/seeds']);
    } finally {
      await dispose();
    }
  });
});
