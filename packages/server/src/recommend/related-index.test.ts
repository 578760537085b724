import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Clock } from '../clock.ts';
import { IndexedRecommender } from './indexed-recommender.ts';
import type { ArticleDocument } from './recommender.ts';
import { RelatedIndex } from './related-index.ts';
import { resolveRelatedSettings, type RelatedSettingsOverride } from './settings.ts';
import { tokenize } from './tokenize.ts';

function doc(pageKey: string, fields: Partial<ArticleDocument>, publishedAt: string | null): ArticleDocument {
  return { pageKey, url: pageKey, title: pageKey, description: null, image: null, section: null, tags: [], body: null, publishedAt, ...fields };
}

/** Six articles on three topics; dates chosen so recency alone would pick the wrong ones. */
const FIXTURES: ArticleDocument[] = [
  doc('/garden/tomatoes', { title: 'Growing tomatoes on a balcony', section: 'Home', tags: ['gardening', 'vegetables'], body: 'Tomatoes need sun, compost and regular watering in pots.' }, '2026-01-01T00:00:00.000Z'),
  doc('/garden/compost', { title: 'Compost for beginners', section: 'Home', tags: ['gardening', 'soil'], body: 'Good compost feeds vegetables and keeps the garden soil alive.' }, '2026-01-02T00:00:00.000Z'),
  doc('/garden/herbs', { title: 'Herbs that survive winter', section: 'Home', tags: ['gardening'], body: 'Rosemary and thyme in pots, watering less in the cold.' }, '2026-01-03T00:00:00.000Z'),
  doc('/money/rates', { title: 'Central bank raises interest rates', section: 'Business', tags: ['economy', 'banks'], body: 'Mortgage costs climb as rates rise again.' }, '2026-03-01T00:00:00.000Z'),
  doc('/money/mortgages', { title: 'What higher rates mean for mortgages', section: 'Business', tags: ['economy', 'housing'], body: 'Banks pass interest rate rises to borrowers.' }, '2026-03-02T00:00:00.000Z'),
  doc('/sport/final', { title: 'Cup final goes to penalties', section: 'Sport', tags: ['football'], body: 'A late goal forced extra time before penalties.' }, '2026-03-03T00:00:00.000Z'),
];

const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const keys = (articles: ArticleDocument[]) => articles.map((a) => a.pageKey);
const index = (override: RelatedSettingsOverride = {}, articles = FIXTURES) => new RelatedIndex(resolveRelatedSettings(override), articles);

describe('tokenize', () => {
  test('lowercases, keeps Unicode letters and digits, drops stopwords and single characters', () => {
    assert.deepEqual(tokenize('The Café in Zürich, 2026: a “déjà-vu”!'), ['café', 'zürich', '2026', 'déjà', 'vu']);
    assert.deepEqual(tokenize(null), []);
  });
});

for (const scoring of ['bm25', 'tfidf'] as const) {
  describe(`RelatedIndex ranking (${scoring})`, () => {
    const site = index({ scoring });

    test('a gardening article lists the other gardening articles first, never itself', () => {
      const related = keys(site.related('/garden/tomatoes', { limit: 5, now: NOW }));
      assert.deepEqual(new Set(related.slice(0, 2)), new Set(['/garden/compost', '/garden/herbs']));
      assert.ok(!related.includes('/garden/tomatoes'));
    });

    test('finance articles find each other (stemming joins "rate" and "rates")', () => {
      assert.equal(site.related('/money/rates', { limit: 1, now: NOW })[0]!.pageKey, '/money/mortgages');
    });

    test('respects the limit and fills up from the fallback', () => {
      assert.equal(site.related('/garden/tomatoes', { limit: 1, now: NOW }).length, 1);
      assert.equal(site.related('/garden/tomatoes', { limit: 20, now: NOW }).length, 5);
    });
  });
}

describe('RelatedIndex rules', () => {
  test('an unknown page gets the most recent articles', () => {
    assert.deepEqual(keys(index().related('/not/an/article', { limit: 3, now: NOW })), ['/sport/final', '/money/mortgages', '/money/rates']);
  });

  test('the "discussed" fallback puts the most commented first', () => {
    const site = index({ fallback: 'discussed' });
    const commentCounts = new Map([['/garden/herbs', 9], ['/money/rates', 3]]);
    assert.deepEqual(keys(site.related('/nope', { limit: 3, now: NOW, commentCounts })), ['/garden/herbs', '/money/rates', '/sport/final']);
  });

  test('an article sharing no words falls back to recent ones', () => {
    const site = index({}, [...FIXTURES, doc('/odd', { title: 'Xylophone quartet' }, '2025-01-01T00:00:00.000Z')]);
    assert.deepEqual(keys(site.related('/odd', { limit: 2, now: NOW })), ['/sport/final', '/money/mortgages']);
  });

  test('unpublished, future-dated and excluded articles are never shown, even as fallback', () => {
    const site = index({ excludePaths: ['/garden/herbs'] }, [
      ...FIXTURES.map((a) => (a.pageKey === '/garden/compost' ? { ...a, published: false } : a)),
      doc('/garden/future', { title: 'Tomatoes compost gardening', tags: ['gardening'] }, '2027-01-01T00:00:00.000Z'),
    ]);
    const shown = keys(site.related('/garden/tomatoes', { limit: 20, now: NOW }));
    assert.deepEqual(new Set(shown), new Set(['/money/rates', '/money/mortgages', '/sport/final']));
    // An unpublished page still gets recommendations for itself.
    assert.equal(site.related('/garden/compost', { limit: 1, now: NOW })[0]!.pageKey !== '/garden/compost', true);
  });

  test('per-query exclusions are honoured', () => {
    const shown = keys(index().related('/garden/tomatoes', { limit: 5, now: NOW, exclude: new Set(['/garden/compost']) }));
    assert.ok(!shown.includes('/garden/compost'));
    assert.equal(shown[0], '/garden/herbs');
  });

  test('pins come first, in order; unknown or hidden pins are skipped', () => {
    const site = index({}, FIXTURES.map((a) => (a.pageKey === '/money/rates' ? { ...a, published: false } : a)));
    const shown = keys(site.related('/garden/tomatoes', { limit: 3, now: NOW, pins: ['/sport/final', '/nope', '/money/rates', '/garden/tomatoes'] }));
    assert.equal(shown[0], '/sport/final');
    assert.deepEqual(new Set(shown.slice(1)), new Set(['/garden/compost', '/garden/herbs']));
  });

  test('near-duplicates are suppressed: a republished copy does not take a second card', () => {
    const copy = { ...FIXTURES[1]!, pageKey: '/garden/compost-copy', url: '/garden/compost-copy' };
    const withCopy = [...FIXTURES, copy];
    const suppressed = keys(index({}, withCopy).related('/garden/tomatoes', { limit: 2, now: NOW }));
    assert.equal(suppressed.filter((k) => k.startsWith('/garden/compost')).length, 1);
    assert.ok(suppressed.includes('/garden/herbs'));
    const kept = keys(index({ duplicateThreshold: 2, diversity: 0 }, withCopy).related('/garden/tomatoes', { limit: 2, now: NOW }));
    assert.deepEqual(new Set(kept), new Set(['/garden/compost', '/garden/compost-copy']));
  });

  test('recency decay prefers the newer of two equally relevant articles', () => {
    const twins = [
      doc('/a', { title: 'Solar panels on roofs', body: 'solar power roof panels' }, '2026-05-30T00:00:00.000Z'),
      doc('/old', { title: 'Solar panels on roofs', body: 'solar power roof panels inverter' }, '2020-01-01T00:00:00.000Z'),
      doc('/new', { title: 'Solar panels on roofs', body: 'solar power roof panels battery' }, '2026-05-29T00:00:00.000Z'),
      doc('/other', { title: 'Bread baking', body: 'flour water yeast' }, '2026-05-01T00:00:00.000Z'),
    ];
    const off = { duplicateThreshold: 2, diversity: 0 };
    assert.equal(index({ ...off, recencyHalfLifeDays: 30, recencyWeight: 0.5 }, twins).related('/a', { limit: 1, now: NOW })[0]!.pageKey, '/new');
  });

  test('the discussion boost lifts a commented article among similar ones', () => {
    const site = index({ discussionWeight: 1, duplicateThreshold: 2, diversity: 0 });
    const first = (counts: Map<string, number>) => site.related('/garden/tomatoes', { limit: 1, now: NOW, commentCounts: counts })[0]!.pageKey;
    const a = first(new Map([['/garden/compost', 50]]));
    const b = first(new Map([['/garden/herbs', 50]]));
    assert.equal(a, '/garden/compost');
    assert.equal(b, '/garden/herbs');
  });

  test('add, update and delete keep the index current without a rebuild', () => {
    const live = index();
    live.upsert([doc('/garden/new', { title: 'Tomatoes and compost', section: 'Home', tags: ['gardening', 'vegetables', 'soil'], body: 'tomatoes compost balcony pots' }, '2026-01-04T00:00:00.000Z')]);
    assert.equal(live.related('/garden/tomatoes', { limit: 1, now: NOW })[0]!.pageKey, '/garden/new');
    live.upsert([doc('/garden/new', { title: 'Penalties in the cup final', section: 'Sport', tags: ['football'], body: 'goal penalties' }, '2026-01-04T00:00:00.000Z')]);
    assert.equal(live.related('/sport/final', { limit: 1, now: NOW })[0]!.pageKey, '/garden/new');
    live.remove(['/garden/new']);
    assert.equal(live.size, FIXTURES.length);
    assert.ok(!keys(live.related('/garden/tomatoes', { limit: 10, now: NOW })).includes('/garden/new'));
  });

  test('many removals trigger compaction and slots are reused safely', () => {
    const live = index();
    for (let round = 0; round < 60; round += 1) {
      const batch = Array.from({ length: 40 }, (_, i) => doc(`/tmp/${i}`, { title: `Filler ${round} ${i}`, body: 'tomatoes compost gardening filler words' }, null));
      live.upsert(batch);
      live.remove(batch.map((a) => a.pageKey));
    }
    assert.equal(live.size, FIXTURES.length);
    assert.deepEqual(new Set(keys(live.related('/garden/tomatoes', { limit: 2, now: NOW }))), new Set(['/garden/compost', '/garden/herbs']));
  });
});

describe('IndexedRecommender', () => {
  const clock: Clock = { now: () => new Date(NOW) };

  test('loads a site once, applies upserts and pins without reloading, reports comment counts', async () => {
    let loads = 0;
    const recommender = new IndexedRecommender(
      {
        articles: async () => {
          loads += 1;
          return FIXTURES;
        },
        pins: async () => new Map([['/money/rates', ['/sport/final']]]),
        commentCounts: async () => new Map([['/garden/compost', 4]]),
      },
      { clock },
    );
    const tomatoes = await recommender.related('s', '/garden/tomatoes', 2);
    assert.equal(tomatoes.find((a) => a.url === '/garden/compost')?.commentCount, 4);
    assert.equal((await recommender.related('s', '/money/rates', 1))[0]!.url, '/sport/final');
    recommender.setPins('s', '/money/rates', []);
    assert.equal((await recommender.related('s', '/money/rates', 1))[0]!.url, '/money/mortgages');
    recommender.upsert('s', [doc('/garden/herbs2', { title: 'Herbs in winter pots', tags: ['gardening'], body: 'rosemary thyme winter herbs' }, '2026-01-05T00:00:00.000Z')]);
    assert.equal((await recommender.related('s', '/garden/herbs', 1))[0]!.url, '/garden/herbs2');
    assert.equal(loads, 1);
  });
});

describe('RelatedIndex BM25 length normalisation', () => {
  test('a batch is weighed against the average length of the whole batch: scores do not depend on the order it came in', () => {
    const forward = index({ scoring: 'bm25' });
    const backward = index({ scoring: 'bm25' }, [...FIXTURES].reverse());
    for (const { pageKey } of FIXTURES) {
      const scores = (site: RelatedIndex) => new Map(site.candidates(pageKey, 10, NOW).map((c) => [c.article.pageKey, c.score]));
      const a = scores(forward);
      const b = scores(backward);
      assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort(), pageKey);
      for (const [key, score] of a) assert.ok(Math.abs(score - b.get(key)!) < 1e-4 * Math.max(1, score), `${pageKey} → ${key}: ${score} vs ${b.get(key)}`);
    }
  });
});

describe('RelatedIndex section boost', () => {
  // Two candidates for a gardening page: an outsider whose text matches better, and a same-section one.
  const articles = [
    doc('/home/balcony', { title: 'Balcony tomatoes', section: 'Home & Garden', body: 'tomatoes balcony pots watering sun' }, null),
    doc('/money/tomato-prices', { title: 'Tomato prices', section: 'Business', body: 'tomatoes balcony pots prices' }, null),
    doc('/home/herbs', { title: 'Herbs', section: 'home and garden', body: 'balcony pots rosemary thyme' }, null),
    doc('/sport/final', { title: 'Cup final', section: 'Sport', body: 'penalties goal extra time' }, null),
  ];
  // Cosine re-ranking off: the boost is measured against the BM25 scores that `candidates` reports.
  const ranked = (sectionWeight: number) => keys(index({ sectionWeight, diversity: 0, cosineWeight: 0 }, articles).related('/home/balcony', { limit: 2, now: NOW }));

  test('without it, text alone ranks the outsider first', () => {
    assert.deepEqual(ranked(0), ['/money/tomato-prices', '/home/herbs']);
  });

  test('the same section (compared by its words: "Home & Garden" = "home garden") multiplies the score by 1 + sectionWeight', () => {
    assert.equal(resolveRelatedSettings().sectionWeight, 1);
    assert.deepEqual(ranked(1), ['/home/herbs', '/money/tomato-prices']);
    const site = index({ sectionWeight: 0, diversity: 0, cosineWeight: 0 }, articles);
    const [outsider, sibling] = site.candidates('/home/balcony', 2, NOW).map((c) => c.score);
    // A boost, not a filter: an outsider far ahead on text stays ahead.
    assert.ok(outsider! / sibling! > 1, 'fixture: the outsider scores higher on text');
    const tiny = outsider! / sibling! - 1;
    assert.deepEqual(ranked(tiny * 0.9), ['/money/tomato-prices', '/home/herbs']);
    assert.deepEqual(ranked(tiny * 1.1), ['/home/herbs', '/money/tomato-prices']);
  });
});
