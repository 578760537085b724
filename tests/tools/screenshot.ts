/**
 * Screenshots a page of the running demo for the README and for looking at what we ship:
 *   pnpm --filter @parley/tests screenshot -- [URL] [OUT.png] [--dark] [--width=390] [--rtl] [--write] [--no-script]
 * Widgets load lazily, so the page is scrolled to the end first. `--rtl` makes the page
 * `dir="rtl"`; `--write` clicks into the comment form (its writing tools load) and types an
 * email, as a reader about to post would; `--no-script` turns JavaScript off (a server-rendered
 * widget as it is painted before embed.js runs).
 */
import { launchChromium } from '../support/browser.ts';

const args = process.argv.slice(2).filter((arg) => arg !== '--' && !arg.startsWith('--'));
const dark = process.argv.includes('--dark');
const rtl = process.argv.includes('--rtl');
const write = process.argv.includes('--write');
const script = !process.argv.includes('--no-script');
const width = Number(process.argv.find((arg) => arg.startsWith('--width='))?.slice(8) ?? 1100);
const url = args[0] ?? 'http://127.0.0.1:8080/articles/rooftop-meadows.html';
const out = args[1] ?? 'screenshot.png';

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: dark ? 'dark' : 'light', javaScriptEnabled: script });
  if (rtl) await page.addInitScript(() => document.addEventListener('DOMContentLoaded', () => (document.documentElement.dir = 'rtl')));
  await page.goto(url);
  if (script) await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForLoadState('networkidle');
  if (write) {
    await page.locator('parley-comments textarea[name="body"]').first().click();
    await page.locator('parley-comments form .trap').first().waitFor({ state: 'attached' });
    await page.locator('parley-comments input[name="email"]').first().fill('reader@example.org');
    await page.locator('parley-comments textarea[name="body"]').first().fill('Typing a comment…');
  }
  await page.waitForTimeout(500);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
