import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../app.ts';
import { createRenderClient } from '../render-client.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, skipReason } from '../test/helpers.ts';

const PAGE = `<!doctype html><main><h1>Story</h1>
<parley-related data-parley-render limit="2"></parley-related>
<parley-comments data-parley-render theme="dark" max-depth="2"></parley-comments>
<parley-comments page="/untouched"></parley-comments></main>`;

for (const dialect of await dialectsUnderTest()) {
  describe(`the render client (fetching fragments for a site's server or build) on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    /** Every request the client made, with the status Parley answered. */
    const calls: Array<{ url: string; status: number; ifNoneMatch: string | null }> = [];
    let down = false;
    const viaApp: typeof fetch = async (input, init) => {
      if (down) throw new TypeError('fetch failed: connection refused');
      const response = await app.request(String(input), init);
      calls.push({ url: String(input), status: response.status, ifNoneMatch: new Headers(init?.headers).get('if-none-match') });
      return response;
    };

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      app = createApp({ store, config: { adminToken: 'admin-token', embedFile: '/nonexistent' }, logError: () => {} });
      const response = await app.request('/api/comments', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ page: '/story', body: 'First!', author: { name: 'Ola' } }) });
      assert.equal(response.status, 201);
    });
    after(async () => dispose?.());

    test('inline(): marked elements become fragments (their other attributes kept); unmarked ones stay', async () => {
      const parley = createRenderClient({ server: 'http://parley.internal/', publicServer: 'https://comments.example', fetch: viaApp });
      const html = await parley.inline(PAGE, { page: '/story', url: 'https://site.example/story' });
      assert.match(html, /<parley-comments theme="dark" max-depth="2" data-parley-ssr site="default" page="\/story" loading="eager" server="https:\/\/comments.example">/);
      assert.match(html, /<parley-related data-parley-ssr site="default" page="\/story" loading="eager" limit="2" server="https:\/\/comments.example">/);
      assert.match(html, /First!/);
      assert.match(html, /action="https:\/\/comments.example\/render\/comments"/, 'the form posts to the public address');
      assert.match(html, /<parley-comments page="\/untouched"><\/parley-comments>/);
      assert.ok(calls.some((call) => call.url.includes('url=https%3A%2F%2Fsite.example%2Fstory')));
    });

    test("inline(): an element's avatars and lang shape its fragment, so the widget takes it over as drawn", async () => {
      const parley = createRenderClient({ server: 'http://parley.internal', fetch: viaApp });
      const html = await parley.inline('<parley-comments data-parley-render avatars="gravatar" lang="de"></parley-comments><parley-related data-parley-render lang="de"></parley-related>', { page: '/story' });
      assert.match(html, /^<parley-comments data-parley-ssr site="default" page="\/story" loading="eager" avatars="gravatar" lang="de">/);
      assert.match(html, /<script type="application\/json" data-parley-first-page="gravatar">/);
      assert.match(html, /<parley-related data-parley-ssr site="default" page="\/story" loading="eager" lang="de">/);
      assert.equal((html.match(/ lang="de"/g) ?? []).length, 2, 'each attribute once');
    });

    test('a second use revalidates with the ETag (304, same HTML); a new comment is fetched', async () => {
      const parley = createRenderClient({ server: 'http://parley.internal', fetch: viaApp });
      calls.length = 0;
      const first = await parley.comments('/story');
      const second = await parley.comments('/story');
      assert.equal(second, first);
      assert.deepEqual(calls.map((call) => call.status), [200, 304]);
      assert.match(calls[1]!.ifNoneMatch!, /^W\//);
      await app.request('/api/comments', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ page: '/story', body: 'Second thoughts', author: { name: 'Pim' } }) });
      const third = await parley.comments('/story');
      assert.equal(calls.at(-1)!.status, 200);
      assert.match(third, /Second thoughts/);
    });

    test('maxAgeMs: no request within it', async () => {
      const parley = createRenderClient({ server: 'http://parley.internal', fetch: viaApp, maxAgeMs: 60_000 });
      calls.length = 0;
      await parley.related('/story');
      await parley.related('/story');
      assert.equal(calls.length, 1);
    });

    test('Parley unreachable: the last good copy, else an empty element the embed fills in', async () => {
      const parley = createRenderClient({ server: 'http://parley.internal', fetch: viaApp });
      const good = await parley.comments('/story');
      down = true;
      try {
        assert.equal(await parley.comments('/story'), good);
        assert.equal(await parley.comments('/never-fetched'), '<parley-comments site="default" page="/never-fetched"></parley-comments>');
      } finally {
        down = false;
      }
      const failing = createRenderClient({ server: 'http://parley.internal', fetch: async () => new Response('{"error":{}}', { status: 500 }) });
      assert.equal(await failing.related('/x'), '<parley-related site="default" page="/x"></parley-related>');
    });
  });
}
