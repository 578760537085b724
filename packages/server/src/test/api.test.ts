import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ArticlesUpsertResultSchema,
  COMMENT_BODY_MAX_LENGTH,
  COUNT_PAGES_MAX,
  CommentSchema,
  CommentThreadSchema,
  CountsResponseSchema,
  ErrorBodySchema,
  PUBLIC_REQUEST_MAX_BYTES,
  RELATED_LIMIT_MAX,
  RelatedResponseSchema,
  PostedCommentSchema,
  type PostedComment,
  type ErrorCode,
} from '@parley/schema';
import { createApp } from '../app.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from './helpers.ts';

const ADMIN_TOKEN = 'test-admin-token';
const adminHeaders = { ...jsonHeaders, authorization: `Bearer ${ADMIN_TOKEN}` };

async function rowCounts(store: Store) {
  const comments = await store.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const articles = await store.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { comments: Number(comments.n), articles: Number(articles.n) };
}

async function expectError(response: Response, status: number, code: ErrorCode, messagePart: RegExp) {
  const body = ErrorBodySchema.parse(await response.json());
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error.code, code);
  assert.match(body.error.message, messagePart);
  return body;
}

function article(n: number, extra: Record<string, unknown> = {}) {
  return { url: `https://news.example/a/${n}?utm=x`, title: `Article ${n}`, tags: ['t'], ...extra };
}

for (const dialect of await dialectsUnderTest()) {
  describe(`API over app.request() on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const clock = manualClock();

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      app = createApp({ store, clock, config: { adminToken: ADMIN_TOKEN, embedFile: '/nonexistent/embed.js' }, logError: () => {} });
    });
    after(async () => dispose?.());

    const post = (path: string, body: unknown, headers: Record<string, string> = jsonHeaders) =>
      app.request(path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

    describe('happy paths', () => {
      let first: PostedComment;

      test('GET /healthz', async () => {
        const response = await app.request('/healthz');
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), { status: 'ok' });
      });

      test('POST /api/comments stores and returns the comment without email', async () => {
        const response = await post('/api/comments', {
          site: 'news',
          page: '/a/1',
          author: { name: '  Ada  ', email: 'ada@example.com' },
          body: ' First! ',
        });
        assert.equal(response.status, 201);
        assert.equal(response.headers.get('cache-control'), 'no-store');
        const json = await response.json();
        first = PostedCommentSchema.parse(json);
        assert.ok(!JSON.stringify(json).includes('ada@example.com'), 'email must never be returned');
        assert.deepEqual(first.author, { name: 'Ada', avatar: first.author.avatar });
        assert.match(first.author.avatar, /^[0-9a-f]{16}$/);
        assert.equal(first.body, 'First!');
        assert.equal(first.html, '<p>First!</p>');
        assert.equal(first.parentId, null);
        assert.equal(first.createdAt, '2026-01-01T00:00:00.000Z');
      });

      test('empty author name is stored as null (anonymous)', async () => {
        clock.advance(1000);
        const response = await post('/api/comments', { site: 'news', page: '/a/1', author: { name: '   ' }, body: 'Second' });
        assert.equal(response.status, 201);
        assert.equal(CommentSchema.parse(await response.json()).author.name, null);
      });

      test('replies nest to any depth, oldest first, and total counts them all', async () => {
        clock.advance(1000);
        const reply = CommentSchema.parse(await (await post('/api/comments', { site: 'news', page: '/a/1', parentId: first.id, body: 'Reply' })).json());
        clock.advance(1000);
        const deep = await post('/api/comments', { site: 'news', page: '/a/1', parentId: reply.id, body: 'Deeper' });
        assert.equal(deep.status, 201);
        await post('/api/comments', { site: 'other', page: '/a/1', body: 'other site' });

        const response = await app.request('/api/comments?site=news&page=/a/1');
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('cache-control'), 'no-cache');
        const thread = CommentThreadSchema.parse(await response.json());
        assert.equal(thread.total, 4);
        assert.deepEqual(thread.comments.map((c) => c.html), ['<p>First!</p>', '<p>Second</p>']);
        assert.equal(thread.comments[0]!.replies[0]!.html, '<p>Reply</p>');
        assert.equal(thread.comments[0]!.replies[0]!.replies[0]!.html, '<p>Deeper</p>');
        assert.equal(thread.comments[0]!.replyCount, 2);
        assert.ok(!JSON.stringify(thread).includes('@'), 'no email anywhere in the thread');
      });

      test('GET /api/comments for an unknown page is an empty thread on the default site', async () => {
        const thread = CommentThreadSchema.parse(await (await app.request('/api/comments?page=/nothing')).json());
        assert.deepEqual(thread, { site: 'default', page: '/nothing', sort: 'oldest', total: 0, comments: [], nextCursor: null });
      });

      test('POST /api/counts answers every asked page, 0 for unknown', async () => {
        const response = await post('/api/counts', { site: 'news', pages: ['/a/1', '/unknown', '__proto__'] });
        assert.equal(response.status, 200);
        const { counts } = CountsResponseSchema.parse(await response.json());
        assert.deepEqual({ ...counts }, { '/a/1': 4, '/unknown': 0, __proto__: 0 });
      });

      test('PUT /api/articles upserts, then GET /api/related ranks them', async () => {
        const put = (body: unknown) => app.request('/api/articles', { method: 'PUT', headers: adminHeaders, body: JSON.stringify(body) });
        const garden = (n: number) => ({ url: `/garden/${n}`, title: `Growing tomatoes ${n}`, tags: ['gardening', 'tomatoes'], section: 'Garden' });
        let result = ArticlesUpsertResultSchema.parse(
          await (await put({ site: 'news', articles: [garden(1), garden(2), { url: 'https://news.example/cars/1#top', title: 'Electric cars', tags: ['cars'], publishedAt: '2025-12-01T10:00:00+02:00' }] })).json(),
        );
        assert.deepEqual(result, { site: 'news', inserted: 3, updated: 0 });

        let related = RelatedResponseSchema.parse(await (await app.request('/api/related?site=news&page=/garden/1')).json());
        assert.deepEqual(related.items.map((i) => i.url), ['/garden/2', 'https://news.example/cars/1#top']);
        assert.equal(related.items[1]!.publishedAt, '2025-12-01T08:00:00.000Z');

        // An update reaches the in-memory index without a restart.
        result = ArticlesUpsertResultSchema.parse(await (await put({ site: 'news', articles: [garden(3), { ...garden(2), title: 'Roses' }] })).json());
        assert.deepEqual(result, { site: 'news', inserted: 1, updated: 1 });
        const response = await app.request('/api/related?site=news&page=https://news.example/garden/1?ref=x&limit=1');
        assert.equal(response.headers.get('cache-control'), 'public, max-age=60');
        related = RelatedResponseSchema.parse(await response.json());
        assert.deepEqual(related.items.map((i) => i.url), ['/garden/3']);
      });

      test('GET /api/related for an unknown site is 200 with no items', async () => {
        const response = await app.request('/api/related?site=nobody&page=/x');
        assert.equal(response.status, 200);
        assert.deepEqual(RelatedResponseSchema.parse(await response.json()).items, []);
      });

      test('CORS preflight is answered', async () => {
        const response = await app.request('/api/comments', {
          method: 'OPTIONS',
          headers: { origin: 'https://blog.example', 'access-control-request-method': 'POST' },
        });
        assert.equal(response.status, 204);
        assert.equal(response.headers.get('access-control-allow-origin'), '*');
      });
    });

    describe('bad input is refused, names the problem and writes nothing', () => {
      const longPages = Array.from({ length: COUNT_PAGES_MAX + 1 }, (_, i) => `/p/${i}`);
      const cases: { name: string; send: () => Response | Promise<Response>; status: number; code: ErrorCode; message: RegExp; path?: string }[] = [
        { name: 'malformed JSON', send: () => post('/api/comments', '{"page": "/a/1",'), status: 400, code: 'invalid_json', message: /not valid JSON/ },
        { name: 'empty body', send: () => post('/api/comments', ''), status: 400, code: 'invalid_json', message: /JSON/ },
        { name: 'wrong content type', send: () => post('/api/comments', JSON.stringify({ page: '/a/1', body: 'x' }), { 'content-type': 'text/plain' }), status: 415, code: 'unsupported_media_type', message: /application\/json/ },
        { name: 'missing content type', send: () => app.request('/api/comments', { method: 'POST', body: new Blob([JSON.stringify({ page: '/a/1', body: 'x' })]) }), status: 415, code: 'unsupported_media_type', message: /none/ },
        { name: 'missing body field', send: () => post('/api/comments', { page: '/a/1' }), status: 400, code: 'validation_failed', message: /body/, path: 'body' },
        { name: 'blank body', send: () => post('/api/comments', { page: '/a/1', body: '   ' }), status: 400, code: 'validation_failed', message: /body: must not be empty/, path: 'body' },
        { name: 'wrong-typed page', send: () => post('/api/comments', { page: 42, body: 'x' }), status: 400, code: 'validation_failed', message: /page/, path: 'page' },
        { name: 'bad email', send: () => post('/api/comments', { page: '/a/1', body: 'x', author: { email: 'nope' } }), status: 400, code: 'validation_failed', message: /author\.email/, path: 'author.email' },
        { name: 'unknown field', send: () => post('/api/comments', { page: '/a/1', body: 'x', html: '<b>' }), status: 400, code: 'validation_failed', message: /html/ },
        { name: 'body over the limit', send: () => post('/api/comments', { page: '/a/1', body: 'x'.repeat(COMMENT_BODY_MAX_LENGTH + 1) }), status: 400, code: 'validation_failed', message: /body/, path: 'body' },
        { name: 'unknown parentId', send: () => post('/api/comments', { site: 'news', page: '/a/1', parentId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', body: 'x' }), status: 400, code: 'parent_not_found', message: /parentId/ },
        { name: 'malformed parentId', send: () => post('/api/comments', { page: '/a/1', parentId: 'abc', body: 'x' }), status: 400, code: 'validation_failed', message: /parentId/, path: 'parentId' },
        { name: 'oversized request (Content-Length)', send: () => post('/api/comments', { page: '/a/1', body: 'x'.repeat(PUBLIC_REQUEST_MAX_BYTES) }), status: 413, code: 'payload_too_large', message: /larger than/ },
        { name: 'oversized request with a lying Content-Length', send: () => post('/api/comments', { page: '/a/1', body: 'x'.repeat(PUBLIC_REQUEST_MAX_BYTES) }, { ...jsonHeaders, 'content-length': '20' }), status: 413, code: 'payload_too_large', message: /larger than/ },
        { name: 'oversized streamed request without Content-Length', send: () => app.request('/api/comments', { method: 'POST', headers: jsonHeaders, body: streamOf(JSON.stringify({ page: '/a/1', body: 'x'.repeat(PUBLIC_REQUEST_MAX_BYTES) })), duplex: 'half' } as RequestInit), status: 413, code: 'payload_too_large', message: /larger than/ },
        { name: 'too many pages in counts', send: () => post('/api/counts', { pages: longPages }), status: 400, code: 'validation_failed', message: /pages/, path: 'pages' },
        { name: 'empty pages in counts', send: () => post('/api/counts', { pages: [] }), status: 400, code: 'validation_failed', message: /pages/, path: 'pages' },
        { name: 'related limit 0', send: () => app.request('/api/related?page=/a&limit=0'), status: 400, code: 'validation_failed', message: /limit/, path: 'limit' },
        { name: 'related limit over max', send: () => app.request(`/api/related?page=/a&limit=${RELATED_LIMIT_MAX + 1}`), status: 400, code: 'validation_failed', message: /limit/, path: 'limit' },
        { name: 'related limit not a number', send: () => app.request('/api/related?page=/a&limit=lots'), status: 400, code: 'validation_failed', message: /limit/, path: 'limit' },
        { name: 'comments without page', send: () => app.request('/api/comments?site=news'), status: 400, code: 'validation_failed', message: /page/, path: 'page' },
        { name: 'unknown query key', send: () => app.request('/api/comments?page=/a&sort=new'), status: 400, code: 'validation_failed', message: /sort/ },
        { name: 'repeated query key', send: () => app.request('/api/comments?page=/a&page=/b'), status: 400, code: 'validation_failed', message: /page/, path: 'page' },
        { name: 'bad site id', send: () => app.request('/api/comments?site=../etc&page=/a'), status: 400, code: 'validation_failed', message: /site/, path: 'site' },
        { name: 'admin without token', send: () => app.request('/api/articles', { method: 'PUT', headers: jsonHeaders, body: JSON.stringify({ articles: [article(1)] }) }), status: 401, code: 'unauthorized', message: /token/ },
        { name: 'admin with wrong token', send: () => app.request('/api/articles', { method: 'PUT', headers: { ...jsonHeaders, authorization: 'Bearer nope' }, body: JSON.stringify({ articles: [article(1)] }) }), status: 401, code: 'unauthorized', message: /token/ },
        { name: 'unknown route', send: () => app.request('/api/nothing'), status: 404, code: 'not_found', message: /\/api\/nothing/ },
        { name: 'wrong method', send: () => app.request('/api/counts'), status: 405, code: 'method_not_allowed', message: /POST/ },
      ];

      for (const c of cases) {
        test(c.name, async () => {
          const before = await rowCounts(store);
          const body = await expectError(await c.send(), c.status, c.code, c.message);
          if (c.path !== undefined) assert.ok(body.error.issues?.some((issue) => issue.path === c.path), JSON.stringify(body.error.issues));
          assert.deepEqual(await rowCounts(store), before, 'nothing was written');
        });
      }

      test('a reply to a comment on another page is refused', async () => {
        const parent = CommentSchema.parse(await (await post('/api/comments', { site: 'news', page: '/a/2', body: 'parent' })).json());
        const before = await rowCounts(store);
        for (const where of [{ site: 'news', page: '/a/1' }, { site: 'other', page: '/a/2' }]) {
          await expectError(await post('/api/comments', { ...where, parentId: parent.id, body: 'x' }), 400, 'parent_not_found', /parentId/);
        }
        assert.deepEqual(await rowCounts(store), before);
      });

      test('admin API is closed when no token is configured', async () => {
        const closed = createApp({ store, config: { adminToken: undefined, embedFile: '/x' } });
        const response = await closed.request('/api/articles', { method: 'PUT', headers: { ...jsonHeaders, authorization: 'Bearer ' }, body: '{}' });
        await expectError(response, 401, 'unauthorized', /PARLEY_ADMIN_TOKEN/);
      });

      test('article upsert with item 3 of 5 invalid names articles.2.url and writes nothing', async () => {
        const before = await rowCounts(store);
        const articles = [article(1), article(2), article(3, { url: 'ftp://nope' }), article(4), article(5)];
        const response = await app.request('/api/articles', { method: 'PUT', headers: adminHeaders, body: JSON.stringify({ site: 'bulk', articles }) });
        const body = await expectError(response, 400, 'validation_failed', /articles\.2\.url/);
        assert.deepEqual(body.error.issues?.map((i) => i.path), ['articles.2.url']);
        assert.deepEqual(await rowCounts(store), before);
      });
    });
  });
}

function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 8192));
      offset += 8192;
    },
  });
}
