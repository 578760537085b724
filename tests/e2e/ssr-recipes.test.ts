import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, startServer } from '@parley/server';

/**
 * The Eleventy and Astro recipes in examples/recipes, run against a real Parley server over HTTP:
 * the Eleventy config's shortcodes as Eleventy would call them, and the Astro components' module.
 * (Eleventy and Astro themselves are not installed here; their part is a call into these.)
 */
describe('server-rendering recipes for static-site generators', () => {
  let parley: Awaited<ReturnType<typeof startServer>>;

  before(async () => {
    parley = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'file::memory:', PARLEY_ADMIN_TOKEN: 'recipes-admin-token-123' }), { quiet: true });
    process.env.PARLEY_URL = parley.url;
    process.env.SITE_URL = 'https://blog.example';
    const response = await fetch(`${parley.url}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ site: 'default', page: '/posts/hello/', body: 'Built into the page', author: { name: 'Rae' } }),
    });
    assert.equal(response.status, 201);
  });

  after(async () => {
    delete process.env.PARLEY_URL;
    delete process.env.SITE_URL;
    await parley?.close();
  });

  it('Eleventy: {% parleyComments %}, {% parleyRelated %} and {% parleyScript %} render the widgets into the page', async () => {
    const shortcodes = new Map<string, (this: { page: { url: string } }, ...args: string[]) => Promise<string> | string>();
    const { default: configure } = await import('../../examples/recipes/eleventy/eleventy.config.ts');
    configure({ addShortcode: (name, shortcode) => shortcodes.set(name, shortcode) });
    assert.deepEqual([...shortcodes.keys()].sort(), ['parleyComments', 'parleyRelated', 'parleyScript']);
    const context = { page: { url: '/posts/hello/' } };
    const comments = await shortcodes.get('parleyComments')!.call(context);
    assert.match(comments, /^<parley-comments data-parley-ssr site="default" page="\/posts\/hello\/"/);
    assert.match(comments, /Built into the page/);
    assert.match(comments, /<input type="hidden" name="return" value="https:\/\/blog.example\/posts\/hello\/">/);
    assert.match(comments, /"@type":"Comment"/);
    const related = await shortcodes.get('parleyRelated')!.call(context, '3');
    assert.match(related, /^<parley-related data-parley-ssr site="default" page="\/posts\/hello\/" loading="eager" limit="3">/);
    assert.equal(await shortcodes.get('parleyScript')!.call(context), `<script type="module" src="${parley.url}/embed.js"></script>`);
  });

  it("Astro: the components' module renders this URL's discussion", async () => {
    const { parley: client, pageOf } = await import('../../examples/recipes/astro/src/lib/parley.ts');
    const url = new URL('https://blog.example/posts/hello/');
    const html = await client.comments(pageOf(url), { url: url.href });
    assert.match(html, /Built into the page/);
    assert.match(await client.related(pageOf(url)), /^<parley-related data-parley-ssr/);
  });
});
