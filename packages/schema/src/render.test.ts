import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RenderCommentsQuerySchema, RenderedFormPostSchema, RenderRelatedQuerySchema } from './render.ts';

describe('RenderCommentsQuerySchema', () => {
  for (const query of [
    { page: '/a' },
    { site: 'news', page: '/a', sort: 'newest', lang: 'pt-BR', heading: 'Letters', url: 'https://news.example/a', server: 'http://127.0.0.1:8787' },
  ]) {
    it(`accepts ${JSON.stringify(query)}`, () => assert.equal(RenderCommentsQuerySchema.safeParse(query).success, true));
  }
  for (const query of [
    {},
    { page: '/a', url: 'javascript:alert(1)' },
    { page: '/a', url: '/relative' },
    { page: '/a', server: 'ftp://x.example' },
    { page: '/a', lang: 'en_GB<' },
    { page: '/a', heading: '' },
    { page: '/a', sort: 'random' },
    { page: '/a', cursor: 'x' },
  ]) {
    it(`rejects ${JSON.stringify(query)}`, () => assert.equal(RenderCommentsQuerySchema.safeParse(query).success, false));
  }
  it('defaults site and sort', () => assert.deepEqual(RenderCommentsQuerySchema.parse({ page: '/a' }), { site: 'default', page: '/a', sort: 'oldest' }));
});

describe('RenderRelatedQuerySchema', () => {
  it('coerces and bounds limit', () => {
    assert.equal(RenderRelatedQuerySchema.parse({ page: '/a', limit: '3' }).limit, 3);
    assert.equal(RenderRelatedQuerySchema.safeParse({ page: '/a', limit: '21' }).success, false);
  });
});

describe('RenderedFormPostSchema', () => {
  it('reads empty optional fields as absent, as a form sends them', () => {
    const parsed = RenderedFormPostSchema.parse({ site: 'news', page: '/a', body: 'Hi', name: '  ', email: '', parentId: '', website: '' });
    assert.deepEqual([parsed.name, parsed.email, parsed.parentId], [undefined, undefined, undefined]);
  });
  for (const form of [
    { page: '/a', body: 'x', email: 'not-an-email' },
    { page: '/a', body: 'x', parentId: 'nope' },
    { page: '/a', body: 'x', extra: '1' },
    { body: 'x' },
  ]) {
    it(`rejects ${JSON.stringify(form)}`, () => assert.equal(RenderedFormPostSchema.safeParse(form).success, false));
  }
});
