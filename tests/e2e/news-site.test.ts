import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startDemo } from '@parley/example-news-site/start-demo.ts';
import { launchChromium } from '../support/browser.ts';

const ARTICLE = '/articles/rooftop-meadows.html';

/** The count badge's text lives in its shadow root, which textContent of the host does not include. */
function badgeText(page: Page, pageId: string): Promise<string> {
  return page.evaluate(
    (id) => document.querySelector(`parley-count[page="${id}"]`)?.shadowRoot?.textContent?.trim() ?? '',
    pageId,
  );
}

describe('the news-site example, end to end in Chromium', () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let browser: Browser;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
    demo = await startDemo({
      parleyPort: 0,
      sitePort: 0,
      databaseUrl: `file:${join(dataDir, 'parley.sqlite')}`,
      quiet: true,
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows related cards, keeps a posted comment across reloads and counts it on the home page', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(new URL(ARTICLE, demo.siteUrl).href);

    // Both widgets load lazily, when they near the viewport: scroll as a reader would.
    await page.locator('parley-related').scrollIntoViewIfNeeded();
    const cards = page.locator('parley-related [part~="card"]');
    await cards.first().waitFor();
    const titles = await cards.allInnerTexts();
    assert.ok(titles.length >= 2, `expected related cards, got ${titles.length}`);
    assert.ok(!titles.some((title) => title.includes('Wildflower meadows bloom')), 'the current article is not related to itself');

    const home = await browser.newPage();
    await home.goto(demo.siteUrl);
    await home.waitForFunction((id) => /\d|No comments/.test(
      document.querySelector(`parley-count[page="${id}"]`)?.shadowRoot?.textContent ?? ''), ARTICLE);
    const before = await badgeText(home, ARTICLE);
    const countBefore = Number(/\d+/.exec(before)?.[0] ?? 0);

    const body = `Sowed a wildflower tray after reading this — ${Date.now()}`;
    const comments = page.locator('parley-comments');
    await comments.scrollIntoViewIfNeeded();
    // A reader starts in the comment box: that loads the writing tools, and their name field appears under it.
    await comments.locator('form[part~="form"] textarea').first().fill(body);
    await comments.locator('form[part~="form"] input[name="name"]').first().fill('Maya');
    await comments.locator('form[part~="form"] [part~="submit"]').first().click();
    await comments.locator('[part~="body"]', { hasText: body }).waitFor();

    await page.reload();
    await page.locator('parley-comments').scrollIntoViewIfNeeded();
    await page.locator('parley-comments [part~="body"]', { hasText: body }).waitFor();
    const author = await page
      .locator('parley-comments [part~="comment"]', { hasText: body })
      .locator('[part~="author"]')
      .first()
      .innerText();
    assert.equal(author.trim(), 'Maya');

    await home.reload();
    await home.waitForFunction(
      ({ id, expected }) => (document.querySelector(`parley-count[page="${id}"]`)?.shadowRoot?.textContent ?? '').includes(String(expected)),
      { id: ARTICLE, expected: countBefore + 1 },
    );
    assert.match(await badgeText(home, ARTICLE), new RegExp(`\\b${countBefore + 1} comments?\\b`));
    assert.deepEqual(errors, [], 'no script errors on the page');
  });
});
