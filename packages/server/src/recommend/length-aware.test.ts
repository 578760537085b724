import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decayCovisits } from './covisits.ts';
import type { ArticleDocument } from './recommender.ts';
import { RelatedIndex } from './related-index.ts';
import { resolveRelatedSettings, type RelatedSettingsOverride } from './settings.ts';

const NOW = Date.parse('2026-06-01T00:00:00.000Z');

function doc(pageKey: string, body: string, title = ''): ArticleDocument {
  return { pageKey, url: pageKey, title, description: null, image: null, section: null, tags: [], body, publishedAt: null };
}

/** Filler words, each in one article only: they make a text long without making it about anything shared. */
const filler = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i.toString(36)}x`).join(' ');

/** Padding articles so the words under test are rare enough to be queried. */
const padding = Array.from({ length: 8 }, (_, i) => doc(`/pad/${i}`, `${filler(`p${i}`, 20)} common words here`));

const related = (override: RelatedSettingsOverride, articles: ArticleDocument[], page: string) =>
  new RelatedIndex(resolveRelatedSettings({ diversity: 0, ...override }), [...articles, ...padding]).related(page, { limit: 2, now: NOW }).map((a) => a.pageKey);

describe('length-aware ranking', () => {
  test('cosine re-ranking prefers the focused article over a long one that merely mentions the same words', () => {
    const articles = [
      doc('/page', 'harbour ferry timetable harbour ferry'),
      // Mentions the words often, among a great deal else.
      doc('/long', `harbour ferry timetable harbour ferry harbour ${filler('l', 400)}`),
      doc('/focused', 'harbour ferry timetable'),
    ];
    assert.equal(related({ cosineWeight: 0, bm25: { k1: 3, b: 0 } }, articles, '/page')[0], '/long');
    assert.equal(related({ cosineWeight: 2, bm25: { k1: 3, b: 0 } }, articles, '/page')[0], '/focused');
  });

  test('a long page keeps a share of its words as its query, not only the strongest few', () => {
    // The page's strongest words (repeated) match nothing; the weaker ones match /peer.
    const articles = [doc('/page', `${'alpha beta gamma '.repeat(5)} delta epsilon`), doc('/peer', 'delta epsilon'), doc('/other', 'alpha beta gamma')];
    const peer = (share: number) => related({ queryTerms: 3, queryTermShare: share, cosineWeight: 0 }, articles, '/page').includes('/peer');
    assert.equal(peer(0), false);
    assert.equal(peer(1), true);
  });

  test('lead weighting counts the opening words of the body more', () => {
    const articles = [
      doc('/page', `lighthouse keeper ${filler('a', 60)} orchard blossom`),
      doc('/lead', 'lighthouse keeper'),
      doc('/late', 'orchard blossom'),
    ];
    assert.equal(related({ leadWords: 10, leadWeight: 3, cosineWeight: 0 }, articles, '/page')[0], '/lead');
    assert.equal(related({ leadWords: 10, leadWeight: 1 / 3, cosineWeight: 0 }, articles, '/page')[0], '/late');
  });
});

describe('co-visits', () => {
  const settings = { covisitHalfLifeDays: 10, covisitThreshold: 5 };
  test('decay halves a visit per half-life; pages under the threshold are left out', () => {
    const covisits = decayCovisits(
      [
        { pageKey: '/a', targetKey: '/b', day: '2026-06-01', visits: 4 },
        { pageKey: '/a', targetKey: '/b', day: '2026-05-22', visits: 4 },
        { pageKey: '/quiet', targetKey: '/b', day: '2026-06-01', visits: 4 },
      ],
      Date.parse('2026-06-01T12:00:00Z'),
      settings,
    );
    assert.equal(Math.round(covisits.get('/a')!.get('/b')! * 100) / 100, 6);
    assert.equal(covisits.has('/quiet'), false);
  });

  test('boost within the relevant pool: the co-visited candidate moves up; an unrelated one never enters', () => {
    const articles = [doc('/page', 'harbour ferry timetable'), doc('/first', 'harbour ferry timetable'), doc('/second', 'harbour ferry'), doc('/unrelated', 'orchard blossom')];
    const index = new RelatedIndex(resolveRelatedSettings({ diversity: 0 }), [...articles, ...padding]);
    const rank = (covisits?: Map<string, number>) => index.related('/page', { limit: 2, now: NOW, covisits }).map((a) => a.pageKey);
    assert.deepEqual(rank(), ['/first', '/second']);
    assert.deepEqual(rank(new Map([['/second', 30]])), ['/second', '/first']);
    const limited = index.related('/page', { limit: 2, now: NOW, covisits: new Map([['/unrelated', 1000]]) }).map((a) => a.pageKey);
    assert.deepEqual(limited, ['/first', '/second']);
  });
});
