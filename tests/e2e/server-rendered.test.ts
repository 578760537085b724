import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startDemo } from '@parley/example-news-site/start-demo.ts';
import { createRenderClient } from '@parley/server/render-client';
import { launchChromium } from '../support/browser.ts';

/** The news-site article whose widgets the site's server fills in with Parley's server-rendered HTML. */
const ARTICLE = '/articles/quayside-cycle-lane.html';
const SAMPLE = 'Rode it this morning. First time I have taken my daughter';

/** Waits until the form's signed render time is older than the site's minimum fill time (the state the server checks). */
async function waitForFillTime(page: Page, parleyUrl: string): Promise<void> {
  const { minFillSeconds } = (await (await fetch(`${parleyUrl}/api/sites/default`)).json()) as { minFillSeconds: number };
  const token = await page.locator('parley-comments input[name="token"]').first().inputValue();
  const issuedAt = (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { t: number }).t;
  // Waited here, not in the page: with JavaScript disabled the page cannot evaluate anything.
  const left = issuedAt + minFillSeconds * 1000 + 250 - Date.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

describe('server-rendered widgets on the news-site example', () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let browser: Browser;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'parley-ssr-e2e-'));
    demo = await startDemo({ parleyPort: 0, sitePort: 0, databaseUrl: `file:${join(dataDir, 'parley.sqlite')}`, quiet: true });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a crawler's view: the article page, fetched without script, holds the comments, their JSON-LD and related links", async () => {
    const response = await fetch(new URL(ARTICLE, demo.siteUrl));
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.ok(html.includes(SAMPLE), 'a sample comment is in the HTML');
    assert.ok(html.includes('Same here. The signals at the bridge are the best bit.'), 'and its reply');
    const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
    assert.ok(ld, 'structured data present');
    const data = JSON.parse(ld[1]!) as { '@type': string; commentCount: number; comment: Array<{ '@type': string; text: string; author: { name: string }; parentItem?: { '@id': string } }> };
    assert.equal(data['@type'], 'Article');
    assert.ok(data.commentCount >= 3);
    assert.ok(data.comment.some((comment) => comment.author.name === 'Pete on a Brompton' && comment.text.startsWith(SAMPLE)));
    assert.ok(data.comment.some((comment) => comment.author.name === 'Lou' && comment.parentItem?.['@id'].includes('#comment-')));
    const related = [...html.matchAll(/<a part="link" href="(\/articles\/[a-z-]+\.html)">/g)].map((match) => match[1]);
    assert.ok(related.length >= 2, `related links: ${related.join(', ')}`);
    assert.ok(!related.includes(ARTICLE), 'not related to itself');
  });

  it('Chromium with JavaScript disabled reads the discussion and posts a comment (303 back to it)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(new URL(ARTICLE, demo.siteUrl).href);
      await page.locator('parley-comments [part~="body"]', { hasText: SAMPLE }).waitFor();
      assert.ok(await page.locator('parley-comments [part~="body"]', { hasText: SAMPLE }).isVisible(), 'styled and visible without script');
      assert.ok(await page.locator('parley-related a[part~="link"]').first().isVisible());
      // The controls that need script keep their place but are not shown.
      assert.equal(await page.locator('parley-comments [part~="reply-button"]').first().isVisible(), false);

      const body = `Posted with JavaScript off — ${Date.now()}`;
      await page.locator('parley-comments input[name="name"]').fill('Noor');
      await page.locator('parley-comments textarea[name="body"]').fill(body);
      await waitForFillTime(page, demo.parleyUrl);
      const [navigation] = await Promise.all([page.waitForNavigation(), page.locator('parley-comments [part~="submit"]').click()]);
      assert.equal(navigation?.status(), 200);
      const url = new URL(page.url());
      assert.equal(url.pathname, ARTICLE);
      assert.match(url.hash, /^#comment-[0-9A-Z]{26}$/);
      const posted = page.locator(`parley-comments article${url.hash}`);
      assert.match(await posted.innerText(), new RegExp(body));
      assert.match(await posted.locator('[part~="author"]').innerText(), /Noor/);
    } finally {
      await context.close();
    }
  });

  it('with JavaScript the elements take over: no second first-page request, no loading flash, CLS < 0.01; live updates and the form work', async () => {
    // A page with the widgets near the top and text after them, all on screen: if the elements were
    // taller or shorter than the server's markup, that text would move and count as a layout shift.
    // (Below the fold nothing counts, so the article page itself would prove little.) Built with the
    // render client, styled by the news site's stylesheet, served from a loopback server of its own
    // (Chromium blocks a page fulfilled by the test from loading scripts from a loopback address).
    const parley = createRenderClient({ server: demo.parleyUrl });
    const PAGE_ID = '/layout-check.html';
    const seed = async (body: Record<string, unknown>) => {
      const response = await fetch(`${demo.parleyUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'default', page: PAGE_ID, ...body }) });
      assert.equal(response.status, 201);
      return ((await response.json()) as { id: string }).id;
    };
    const first = await seed({ body: 'A short thread, so the text after it is on screen.', author: { name: 'Ines' } });
    await seed({ body: 'And a **reply** to it.', parentId: first, author: { name: 'Jo' } });
    let html = '';
    const server = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const layoutPage = `http://127.0.0.1:${(server.address() as AddressInfo).port}/layout-check.html`;
    html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${demo.siteUrl}/styles.css"><script type="module" src="${demo.parleyUrl}/embed.js"></script></head>
<body><main class="page"><h1>Layout check</h1>
${await parley.related(ARTICLE, { limit: 3 })}
${await parley.comments(PAGE_ID, { url: layoutPage })}
<section id="after">${'<p>The text after the widgets, which must not move when they come to life.</p>'.repeat(12)}</section></main></body></html>`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 1800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const reads: string[] = [];
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname === '/api/comments' || pathname === '/api/related') reads.push(`${request.method()} ${pathname}`);
    });
    // A string, not a function: the TypeScript loader would wrap named functions in a helper the page lacks.
    await page.addInitScript({
      content: `
        window.cls = 0;
        window.flashes = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.cls += entry.value;
        }).observe({ type: 'layout-shift', buffered: true });
        (function watch() {
          if (document.querySelector('parley-comments')?.shadowRoot?.querySelector('.loading')) window.flashes++;
          requestAnimationFrame(watch);
        })();
      `,
    });
    // Hold the embed script until the server's markup has been painted, so the takeover is a change on screen.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/embed.js', async (route) => {
      await released;
      await route.continue();
    });
    // And the writing tools, until the reader has typed in the form the element hydrated.
    let releaseWriter!: () => void;
    const writerReleased = new Promise<void>((resolve) => (releaseWriter = resolve));
    await page.route('**/chunks/writer-*.js', async (route) => {
      await writerReleased;
      await route.continue();
    });
    // The module script is deferred: DOMContentLoaded waits for it, so wait for the parsed text instead.
    await page.goto(layoutPage, { waitUntil: 'commit' });
    await page.locator('#after').waitFor({ state: 'attached' });
    const nameField = page.locator('parley-comments input[name="name"]').filter({ visible: true });
    const nameBox = await nameField.boundingBox();
    assert.ok(nameBox, "the server's form has a name field");
    const afterTop = await page.locator('#after').evaluate((element) => element.getBoundingClientRect().top);
    assert.ok(afterTop < 1500, `the text after the widgets is on screen (top ${afterTop}px of 1800)`);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const before = await page.evaluate(() => (window as unknown as { cls: number }).cls);
    release();

    await page.waitForFunction(() => !!document.querySelector('parley-comments')?.shadowRoot?.querySelector('[part~="comment"]'), undefined, { timeout: 8000 }).catch(async (e) => { console.log(errors, reads, await page.evaluate(() => [customElements.get('parley-comments') ? 'defined' : 'undefined', document.querySelectorAll('parley-comments').length, document.head.innerHTML.slice(0, 500)])); throw e; });
    await page.waitForFunction(() => !!document.querySelector('parley-related')?.shadowRoot?.querySelector('[part~="card"]'));
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const { cls, flashes } = await page.evaluate(() => {
      const w = window as unknown as { cls: number; flashes: number };
      return { cls: w.cls, flashes: w.flashes };
    });
    console.log(`# hydration: CLS ${(cls - before).toFixed(4)} (page load before the script: ${before.toFixed(4)}), loading frames ${flashes}`);
    assert.ok(cls - before < 0.01, `layout shift on hydration: ${cls - before}`);
    assert.equal(flashes, 0, 'no frame showed the loading state');
    assert.deepEqual(reads, [], 'the first page and the related cards came with the HTML');
    assert.equal(await page.locator('parley-comments[data-parley-ssr] > script[data-parley-first-page]').count(), 0, 'the data was adopted');

    // The form the reader saw stays whole before the writing tools load: its name field is where it
    // was, and what is typed in it (which sends for the tools) is in their form when they take over.
    assert.deepEqual(await nameField.boundingBox({ timeout: 2000 }).catch(() => null), nameBox, 'the name field kept its place after hydration');
    assert.ok(await page.locator('parley-comments label.check', { hasText: 'Remember me' }).filter({ visible: true }).count(), 'Remember me is shown once the element is defined');
    await nameField.fill('Kit from the bridge');
    releaseWriter();
    await page.locator('parley-comments form .trap').first().waitFor({ state: 'attached' });
    await page.waitForFunction(() => !document.querySelector('parley-comments > form'), undefined, { timeout: 8000 });
    assert.equal(await nameField.inputValue(), 'Kit from the bridge', 'the typed name survived the writing tools taking over');

    // Live: another reader's comment arrives on the banner.
    const other = await fetch(`${demo.parleyUrl}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ site: 'default', page: PAGE_ID, body: `Live from elsewhere ${Date.now()}`, author: { name: 'Kit' } }),
    });
    assert.equal(other.status, 201);
    await page.locator('parley-comments [part~="banner"]').waitFor();

    // The element's own form posts through the API.
    const body = `Posted after hydration ${Date.now()}`;
    const comments = page.locator('parley-comments');
    // The server's other markup is still in the light DOM (not rendered): act on what is on screen.
    await comments.locator('form[part~="form"] textarea').filter({ visible: true }).first().fill(body);
    await comments.locator('form[part~="form"] [part~="submit"]').filter({ visible: true }).first().click();
    await comments.locator('[part~="body"]', { hasText: body }).waitFor();
    assert.deepEqual(reads, ['POST /api/comments']);
    assert.deepEqual(errors, []);
    await context.close();
    await new Promise((resolve) => server.close(resolve));
  });
});
