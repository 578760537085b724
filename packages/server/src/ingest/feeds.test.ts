import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseFeed, parseFeedDate } from './feeds.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseFeed', () => {
  test('RSS 2.0: CDATA, content:encoded, dc:date, media:content, relative links, odd dates, duplicates, missing fields', () => {
    const result = parseFeed('rss.xml', fixture('rss.xml'));
    assert.equal(result.format, 'rss');
    const byUrl = (path: string) => result.articles.find((a) => a.url === `https://gazette.example${path}`);
    const tides = byUrl('/garden/tides.html');
    const ferry = byUrl('/transport/ferry.html');
    const odd = byUrl('/odd-date.html');
    const guid = byUrl('/guid-only.html');
    assert.equal(tides!.url, 'https://gazette.example/garden/tides.html');
    assert.equal(tides!.title, 'Tides & tomatoes');
    assert.equal(tides!.description, 'Salt air and balcony gardens.');
    assert.equal(tides!.body, 'Full text about salt, tides and tomatoes.');
    assert.deepEqual(tides!.tags, ['Garden', 'Coast']);
    assert.equal(tides!.section, 'Garden');
    assert.equal(tides!.image, 'https://gazette.example/img/tides.jpg');
    assert.equal(tides!.publishedAt, '2025-06-10T04:00:00.000Z');
    // The duplicate link: the later item wins, once.
    assert.equal(ferry!.title, 'Ferry timetable changes (corrected)');
    assert.equal(ferry!.publishedAt, '2025-06-11T08:00:00.000Z');
    assert.equal(odd!.publishedAt, undefined);
    assert.equal(guid!.url, 'https://gazette.example/guid-only.html');
    assert.equal(result.articles.length, 4);
    const messages = result.problems.map((p) => `${p.source} item ${p.item}: ${p.message}`);
    assert.deepEqual(messages, [
      'rss.xml item 3: unreadable date "sometime last week": imported without a date',
      'rss.xml item 4: no link (or not an http(s) URL): skipped',
      'rss.xml item 5: duplicate of item 2: the later one wins',
    ]);
  });

  test('Atom: default namespace, xml:base, entity-encoded HTML, enclosure image, published/updated fallback', () => {
    const result = parseFeed('atom.xml', fixture('atom.xml'));
    assert.equal(result.format, 'atom');
    assert.deepEqual(result.problems, []);
    const [compost, updated, undated] = result.articles;
    assert.equal(compost!.url, 'https://blog.example/posts/compost.html');
    assert.equal(compost!.title, 'Compost & soil');
    assert.equal(compost!.body, 'Compost feeds vegetables.');
    assert.equal(compost!.image, 'https://blog.example/img/compost.jpg');
    assert.deepEqual(compost!.tags, ['Gardening']);
    assert.equal(compost!.publishedAt, '2025-03-01T09:00:00.000Z');
    assert.equal(updated!.url, 'https://blog.example/posts/updated-only.html');
    assert.equal(updated!.publishedAt, '2025-04-01T00:00:00.000Z');
    assert.equal(undated!.url, 'https://other.example/no-date');
    assert.equal(undated!.publishedAt, undefined);
  });

  test('JSON Feed: relative URLs against home_page_url, external_url, bad schemes and missing URLs named', () => {
    const result = parseFeed('feed.json', fixture('feed.json'));
    assert.equal(result.format, 'json-feed');
    assert.deepEqual(result.articles.map((a) => a.url), ['https://json.example/a/one', 'https://json.example/b/two']);
    assert.equal(result.articles[0]!.publishedAt, '2025-01-02T08:04:05.000Z');
    assert.deepEqual(result.articles[0]!.tags, ['news', 'one']);
    assert.equal(result.articles[1]!.body, 'Second & last');
    assert.deepEqual(result.problems.map((p) => [p.item, p.message]), [
      [2, 'no link (or not an http(s) URL): skipped'],
      [3, 'no link (or not an http(s) URL): skipped'],
    ]);
  });

  test('sitemaps: Google News titles and keywords, image sitemaps; plain URLs without a title are reported', () => {
    const result = parseFeed('sitemap.xml', fixture('sitemap.xml'));
    assert.equal(result.format, 'sitemap');
    assert.deepEqual(result.articles, [
      {
        url: 'https://news.example/world/summit.html',
        title: 'Leaders meet at the summit',
        image: 'https://news.example/img/summit.jpg',
        tags: ['politics', 'summit'],
        publishedAt: '2025-05-05T00:00:00.000Z',
      },
    ]);
    assert.deepEqual(result.problems.map((p) => [p.item, p.label, p.message]), [[2, 'https://news.example/about.html', 'no title: skipped']]);
  });

  test('a sitemap index lists its sitemaps', () => {
    const result = parseFeed('idx.xml', fixture('sitemap-index.xml'), 'https://news.example/sitemap.xml');
    assert.deepEqual(result.sitemaps, ['https://news.example/sitemap-news.xml', 'https://news.example/sitemap-2024.xml']);
  });

  test('a malformed document is an error naming the file and the line', () => {
    assert.throws(() => parseFeed('broken.xml', fixture('broken.xml')), /^Error: broken\.xml: not well-formed XML at line 1/);
    assert.throws(() => parseFeed('x.html', '<html><body/></html>'), /x\.html: not a feed or sitemap \(root element <html>\)/);
  });

  test('dates: RFC 822, RFC 3339, space-separated, nonsense', () => {
    assert.equal(parseFeedDate('Tue, 10 Jun 2025 04:00:00 GMT'), '2025-06-10T04:00:00.000Z');
    assert.equal(parseFeedDate('2025-06-10T06:00:00+02:00'), '2025-06-10T04:00:00.000Z');
    assert.equal(parseFeedDate('2025-06-10 04:00:00Z'), '2025-06-10T04:00:00.000Z');
    assert.equal(parseFeedDate('not a date'), undefined);
    assert.equal(parseFeedDate('0001-01-01T00:00:00Z'), undefined);
  });
});
