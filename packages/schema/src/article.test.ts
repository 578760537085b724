import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ArticleDiscoverSchema, ArticleUrlSchema, ArticlesUpsertSchema } from './article.ts';
import { CountsRequestSchema } from './count.ts';
import { RelatedQuerySchema } from './related.ts';
import { COUNT_PAGES_MAX, RELATED_LIMIT_DEFAULT, RELATED_LIMIT_MAX } from './limits.ts';

describe('ArticleUrlSchema', () => {
  for (const url of ['/articles/a.html', 'https://example.org/a', 'http://127.0.0.1:8080/x?y=1']) {
    it(`accepts ${url}`, () => assert.equal(ArticleUrlSchema.safeParse(url).success, true));
  }
  // Issue 14: what browsers resolve to another host (backslash as slash, tabs and newlines dropped).
  for (const url of ['javascript:alert(1)', '//evil.example/a', 'data:text/html,x', 'articles/a', '', '/\\evil.example/phish', '/\t/evil.example/x', '/\n/evil.example/x', '/\\/evil.example']) {
    it(`rejects ${JSON.stringify(url)}`, () => assert.equal(ArticleUrlSchema.safeParse(url).success, false));
  }
});

describe('ArticlesUpsertSchema', () => {
  it('names the failing item and field', () => {
    const result = ArticlesUpsertSchema.safeParse({
      articles: [{ url: '/a', title: 'A' }, { url: 'javascript:x', title: 'B' }],
    });
    assert.equal(result.success, false);
    assert.deepEqual(result.error.issues[0]?.path, ['articles', 1, 'url']);
  });
  it('needs at least one article', () => {
    assert.equal(ArticlesUpsertSchema.safeParse({ articles: [] }).success, false);
  });
});

describe('CountsRequestSchema', () => {
  it(`accepts up to ${COUNT_PAGES_MAX} pages`, () => {
    const pages = Array.from({ length: COUNT_PAGES_MAX }, (_, i) => `/p${i}`);
    assert.equal(CountsRequestSchema.safeParse({ pages }).success, true);
    assert.equal(CountsRequestSchema.safeParse({ pages: [...pages, '/one-more'] }).success, false);
  });
});

describe('RelatedQuerySchema', () => {
  it('coerces and defaults the limit', () => {
    assert.equal(RelatedQuerySchema.parse({ page: '/a' }).limit, RELATED_LIMIT_DEFAULT);
    assert.equal(RelatedQuerySchema.parse({ page: '/a', limit: '7' }).limit, 7);
  });
  for (const limit of ['0', String(RELATED_LIMIT_MAX + 1), 'ten', '2.5']) {
    it(`rejects limit=${limit}`, () => assert.equal(RelatedQuerySchema.safeParse({ page: '/a', limit }).success, false));
  }
});

describe('ArticleDiscoverSchema', () => {
  const valid = { url: 'https://news.example/a.html', title: 'A title' };
  for (const input of [valid, { ...valid, url: '/a.html', site: 'news', image: '/img/a.jpg', tags: ['x'], section: 'S', description: 'd', publishedAt: '2025-06-14T07:30:00+01:00' }]) {
    it(`accepts ${JSON.stringify(input)}`, () => assert.equal(ArticleDiscoverSchema.safeParse(input).success, true));
  }
  for (const input of [
    { url: '/a.html' },
    { ...valid, url: 'javascript:alert(1)' },
    { ...valid, image: 'data:image/png;base64,AAAA' },
    { ...valid, body: 'pages send no body' },
    { ...valid, published: false },
    { ...valid, publishedAt: 'yesterday' },
  ]) {
    it(`rejects ${JSON.stringify(input)}`, () => assert.equal(ArticleDiscoverSchema.safeParse(input).success, false));
  }
});
