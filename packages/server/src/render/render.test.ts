import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CommentThreadSchema, ErrorBodySchema, RelatedResponseSchema } from '@parley/schema';
import { createApp } from '../app.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../test/helpers.ts';
import { FRAGMENT_CACHE_CONTROL } from '../routes/render.ts';
import { SchemaVocabulary } from './schema-vocabulary.ts';

const ADMIN = { authorization: 'Bearer admin-token', ...jsonHeaders };
const HOSTILE_NAME = '<img src=x onerror=alert(1)>"Eve"';
const HOSTILE_BODY = 'Closing tags </script><!-- and <b>bold</b> [x](javascript:alert(1)) **real**';

/** The JSON of `<script type="application/…" ATTR>` in a fragment, parsed. */
function scriptJson(html: string, marker: string): unknown {
  const match = new RegExp(`<script type="application/[a-z+]+"${marker}>([\\s\\S]*?)</script>`).exec(html);
  assert.ok(match, `no script ${marker}`);
  return JSON.parse(match[1]!);
}

/** The fragment without its style and script children: what a reader or crawler reads. */
const markup = (html: string) => html.replace(/<style>[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/g, '');

for (const dialect of await dialectsUnderTest()) {
  describe(`server-rendered fragments on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const clock = manualClock('2026-06-01T10:00:00.000Z');
    const ids: string[] = [];

    const post = async (body: Record<string, unknown>) => {
      const response = await app.request('/api/comments', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ site: 'news', page: '/a.html', ...body }) });
      assert.equal(response.status, 201, await response.clone().text());
      return ((await response.json()) as { id: string }).id;
    };

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      const sites = SiteRegistry.fromFile(parseSitesConfig({ sites: [{ id: 'news', origins: ['https://news.example'] }, { id: 'quiet' }] }, 'test'));
      app = createApp({ store, clock, sites, config: { adminToken: 'admin-token', embedFile: '/nonexistent', secret: 'test-secret' }, logError: () => {} });
      const articles = ['a', 'b', 'c'].map((slug) => ({
        url: `https://news.example/${slug}.html`,
        title: `Harbour story ${slug} & "friends"`,
        description: 'Boats, tides and harbour news',
        tags: ['harbour', 'boats'],
        publishedAt: '2026-05-01T09:00:00.000Z',
      }));
      const imported = await app.request('/api/articles', { method: 'PUT', headers: ADMIN, body: JSON.stringify({ site: 'news', articles }) });
      assert.equal(imported.status, 200, await imported.text());
      ids.push(await post({ body: HOSTILE_BODY, author: { name: HOSTILE_NAME } }));
      clock.advance(60_000);
      ids.push(await post({ body: 'A reply', parentId: ids[0], author: { name: 'Bo' } }));
    });
    after(async () => dispose?.());

    test('comments: the element with its first page as markup, the same JSON as the API, and schema.org data', async () => {
      const response = await app.request('/render/comments?site=news&page=/a.html');
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type')!, /^text\/html/);
      assert.equal(response.headers.get('cache-control'), FRAGMENT_CACHE_CONTROL);
      const html = await response.text();
      assert.match(html, /^<parley-comments data-parley-ssr site="news" page="\/a.html" loading="eager">/);
      const visible = markup(html);
      assert.match(visible, /<h3 class="count" part="count">2 comments<\/h3>/);
      assert.match(visible, new RegExp(`<article id="comment-${ids[1]}"`), 'the reply is in the markup, nested');
      assert.match(visible, /<ol class="replies" id="replies-/);
      // Names are text; comment HTML is the server's sanitised markdown, as the API serves it.
      assert.ok(visible.includes('&lt;img src=x onerror=alert(1)&gt;&quot;Eve&quot;'));
      assert.ok(visible.includes('Closing tags &lt;/script&gt;&lt;!-- and &lt;b&gt;bold&lt;/b&gt;'));
      assert.ok(visible.includes('<strong>real</strong>'));
      assert.doesNotMatch(visible, /<img src=x|href="javascript:/i);
      // The scripts hold JSON only: nothing in it can end the script element or open a comment.
      const scripts = [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
      assert.equal(scripts.length, 2);
      for (const text of scripts) assert.doesNotMatch(text, /<\/script|<!--|</i);
      const api = CommentThreadSchema.parse(await (await app.request('/api/comments?site=news&page=/a.html')).json());
      assert.deepEqual(CommentThreadSchema.parse(scriptJson(html, ' data-parley-first-page')), api, 'the widget adopts exactly what the API would send');
      // The form posts without script: to this server, with the page, a signed token and the page URL to return to.
      assert.match(visible, /<form part="form" class="form" method="post" action="http:\/\/localhost\/render\/comments"/);
      assert.match(visible, /<input type="hidden" name="token" value="[\w-]+\.[0-9a-f]+">/);
      assert.match(visible, /<input type="hidden" name="return" value="https:\/\/news.example\/a.html">/);
      assert.match(visible, /<textarea id="parley-body" name="body"[^>]* required maxlength="10000"/);
    });

    test('comments: the JSON-LD uses only schema.org types and properties, with authors, dates, text and parentItem', async () => {
      const html = await (await app.request('/render/comments?site=news&page=/a.html')).text();
      const data = scriptJson(html, '') as Record<string, unknown> & { comment: Array<Record<string, unknown>> };
      const vocabulary = SchemaVocabulary.load();
      assert.deepEqual(vocabulary.problems(data), []);
      assert.equal(data['@type'], 'Article');
      assert.equal(data.url, 'https://news.example/a.html', 'the page URL from the imported article');
      assert.equal(data.headline, 'Harbour story a & "friends"');
      assert.equal(data.commentCount, 2);
      const [first, reply] = data.comment;
      assert.deepEqual(first!.author, { '@type': 'Person', name: HOSTILE_NAME });
      assert.equal(first!.datePublished, '2026-06-01T10:00:00.000Z');
      assert.equal(first!.text, 'Closing tags </script><!-- and <b>bold</b> [x](javascript:alert(1)) real');
      assert.equal(first!['@id'], `https://news.example/a.html#comment-${ids[0]}`);
      assert.deepEqual(reply!.parentItem, { '@id': `https://news.example/a.html#comment-${ids[0]}` });
      // The checker is not a rubber stamp.
      assert.deepEqual(vocabulary.problems({ '@context': 'https://schema.org', '@type': 'Comment', parentComment: 'x' }), ['$: Comment has no property parentComment']);
      assert.deepEqual(vocabulary.problems({ '@context': 'https://schema.org', '@type': 'Remark' }), ['$: unknown @type Remark']);
    });

    test('comments: ETag and 304 while the thread is unchanged; a new comment changes it', async () => {
      const url = '/render/comments?site=news&page=/a.html';
      const first = await app.request(url);
      const etag = first.headers.get('etag')!;
      assert.match(etag, /^W\/"/);
      const again = await app.request(url, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), '');
      assert.equal((await app.request(`${url}&lang=de`, { headers: { 'if-none-match': etag } })).status, 200, 'another query is another fragment');
      clock.advance(60_000);
      ids.push(await post({ body: 'Third' }));
      const changed = await app.request(url, { headers: { 'if-none-match': etag } });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.get('etag'), etag);
      assert.match(await changed.text(), /3 comments/);
    });

    test('comments: avatars=gravatar reads the thread as the element with avatars="gravatar" will, and says so', async () => {
      const posted = await app.request('/api/comments', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ site: 'news', page: '/g.html', body: 'With an email', author: { name: 'Gus', email: 'gus@example.com' } }) });
      assert.equal(posted.status, 201, await posted.text());
      const html = await (await app.request('/render/comments?site=news&page=/g.html&avatars=gravatar')).text();
      assert.match(html, /^<parley-comments data-parley-ssr site="news" page="\/g.html" loading="eager" avatars="gravatar">/);
      const api = CommentThreadSchema.parse(await (await app.request('/api/comments?site=news&page=/g.html&avatars=gravatar')).json());
      assert.ok(api.comments[0]!.author.gravatar, 'the API answers a Gravatar hash for an author with an email');
      assert.deepEqual(CommentThreadSchema.parse(scriptJson(html, ' data-parley-first-page="gravatar"')), api);
      // Without it the script's attribute has no value and no hash travels: the element with avatars="gravatar" would not take that data.
      const plain = CommentThreadSchema.parse(scriptJson(await (await app.request('/render/comments?site=news&page=/g.html')).text(), ' data-parley-first-page'));
      assert.equal(plain.comments[0]!.author.gravatar, undefined);
    });

    test('comments: language, heading and the public server origin come from the query', async () => {
      const html = await (await app.request('/render/comments?site=news&page=/a.html&lang=de&heading=Leserbriefe&server=https://comments.news.example/')).text();
      assert.match(html, /^<parley-comments data-parley-ssr site="news" page="\/a.html" loading="eager" heading="Leserbriefe" lang="de" server="https:\/\/comments.news.example">/);
      assert.match(markup(html), /<h2 id="parley-comments-heading" part="heading">Leserbriefe<\/h2>/);
      assert.match(markup(html), /Kommentar/);
      assert.match(markup(html), /action="https:\/\/comments.news.example\/render\/comments"/);
    });

    test('related: real links to the related articles, the items for the widget, nothing for an empty list', async () => {
      const response = await app.request('/render/related?site=news&page=/a.html&limit=2');
      assert.equal(response.status, 200);
      const html = await response.text();
      const hrefs = [...markup(html).matchAll(/<a part="link" href="([^"]+)">/g)].map((m) => m[1]);
      assert.equal(hrefs.length, 2);
      assert.ok(hrefs.every((href) => /^https:\/\/news.example\/[bc].html$/.test(href!)), hrefs.join());
      assert.ok(markup(html).includes('Harbour story b &amp; &quot;friends&quot;'));
      const data = scriptJson(html, ' data-parley-related') as { limit: number };
      assert.equal(data.limit, 2);
      const api = RelatedResponseSchema.parse(await (await app.request('/api/related?site=news&page=/a.html&limit=2')).json());
      assert.deepEqual(RelatedResponseSchema.parse(data), api);
      const etag = response.headers.get('etag')!;
      assert.equal((await app.request('/render/related?site=news&page=/a.html&limit=2', { headers: { 'if-none-match': etag } })).status, 304);
      const empty = await (await app.request('/render/related?site=quiet&page=/a.html')).text();
      assert.doesNotMatch(markup(empty), /<section/);
    });

    test('bad queries and unknown sites answer the JSON error shape', async () => {
      for (const [url, status, code] of [
        ['/render/comments?site=news', 400, 'validation_failed'],
        ['/render/comments?site=news&page=/a&sort=sideways', 400, 'validation_failed'],
        ['/render/comments?site=news&page=/a&server=javascript:alert(1)', 400, 'validation_failed'],
        ['/render/comments?site=news&page=/a&lang=<x>', 400, 'validation_failed'],
        ['/render/related?site=news&page=/a&limit=99', 400, 'validation_failed'],
        ['/render/comments?site=elsewhere&page=/a', 404, 'site_not_found'],
        ['/render/related?site=elsewhere&page=/a', 404, 'site_not_found'],
      ] as const) {
        const response = await app.request(url);
        assert.equal(response.status, status, url);
        assert.equal(ErrorBodySchema.parse(await response.json()).error.code, code, url);
        assert.equal(response.headers.get('cache-control'), 'no-store');
      }
    });
  });
}
