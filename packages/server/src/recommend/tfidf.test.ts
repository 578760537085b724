import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ArticleDocument } from './recommender.ts';
import { SiteIndex, TfIdfRecommender } from './tfidf.ts';
import { tokenize } from './tokenize.ts';

function doc(pageKey: string, fields: Partial<ArticleDocument>, publishedAt: string): ArticleDocument {
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

describe('tokenize', () => {
  test('lowercases, keeps Unicode letters and digits, drops stopwords and single characters', () => {
    assert.deepEqual(tokenize('The Café in Zürich, 2026: a “déjà-vu”!'), ['café', 'zürich', '2026', 'déjà', 'vu']);
    assert.deepEqual(tokenize(null), []);
  });
});

describe('SiteIndex ranking', () => {
  const index = new SiteIndex(FIXTURES);

  test('a gardening article lists the other gardening articles first, never itself', () => {
    const related = index.related('/garden/tomatoes', 5).map((a) => a.pageKey);
    assert.deepEqual(new Set(related.slice(0, 2)), new Set(['/garden/compost', '/garden/herbs']));
    assert.ok(!related.includes('/garden/tomatoes'));
  });

  test('finance articles find each other', () => {
    assert.equal(index.related('/money/rates', 1)[0]!.pageKey, '/money/mortgages');
  });

  test('respects the limit', () => {
    assert.equal(index.related('/garden/tomatoes', 1).length, 1);
    assert.equal(index.related('/garden/tomatoes', 20).length, 5);
  });

  test('an unknown page gets the most recent articles', () => {
    assert.deepEqual(index.related('/not/an/article', 3).map((a) => a.pageKey), ['/sport/final', '/money/mortgages', '/money/rates']);
  });

  test('an article sharing no words falls back to recent ones', () => {
    const lonely = new SiteIndex([...FIXTURES, doc('/odd', { title: 'Xylophone quartet' }, '2025-01-01T00:00:00.000Z')]);
    assert.deepEqual(lonely.related('/odd', 2).map((a) => a.pageKey), ['/sport/final', '/money/mortgages']);
  });

  test('upsert and remove keep the index current', () => {
    const live = new SiteIndex(FIXTURES);
    live.upsert([doc('/garden/new', { title: 'Tomatoes and compost', tags: ['gardening', 'vegetables', 'soil'] }, '2026-01-04T00:00:00.000Z')]);
    assert.equal(live.related('/garden/tomatoes', 1)[0]!.pageKey, '/garden/new');
    live.remove(['/garden/new']);
    assert.ok(!live.related('/garden/tomatoes', 10).some((a) => a.pageKey === '/garden/new'));
  });
});

describe('TfIdfRecommender', () => {
  test('loads a site lazily once, then applies upserts without reloading', async () => {
    let loads = 0;
    const recommender = new TfIdfRecommender(async () => {
      loads += 1;
      return FIXTURES;
    });
    await recommender.related('s', '/garden/herbs', 2);
    await recommender.related('s', '/money/rates', 2);
    assert.equal(loads, 1);
    recommender.upsert('s', [doc('/garden/herbs2', { title: 'Herbs in winter pots', tags: ['gardening'], body: 'rosemary thyme' }, '2026-01-05T00:00:00.000Z')]);
    const items = await recommender.related('s', '/garden/herbs', 1);
    assert.equal(items[0]!.url, '/garden/herbs2');
    assert.equal(loads, 1);
  });
});
