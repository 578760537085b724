/**
 * The embed bundle's budget: `dist/embed.js` gzipped (level 9) must stay within 20 kB, and an
 * English page must need no JavaScript beyond it. Builds nothing: the root `npm test` builds
 * the widgets first (`pnpm --filter @parley/widgets build` when running this alone).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { loadConfig, startServer, type RunningServer } from '@parley/server';
import { launchChromium } from '../support/browser.ts';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages/widgets/dist');
const EMBED = join(DIST, 'embed.js');
export const GZIP_BUDGET_BYTES = 20 * 1024;

function readEmbed(): Buffer {
  if (!existsSync(EMBED)) {
    assert.fail(`${EMBED} is missing: build the widgets first (\`pnpm --filter @parley/widgets build\`, or \`npm test\` from the root)`);
  }
  return readFileSync(EMBED);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} kB`;

describe('embed.js budget', () => {
  it(`gzips (level 9) to at most ${GZIP_BUDGET_BYTES} bytes`, () => {
    const source = readEmbed();
    const gzip = gzipSync(source, { level: 9 }).length;
    const brotli = brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    console.log(`embed.js raw ${source.length} B (${kb(source.length)}), gzip ${gzip} B (${kb(gzip)}), brotli ${brotli} B (${kb(brotli)}); budget gzip ${GZIP_BUDGET_BYTES} B`);
    assert.ok(
      gzip <= GZIP_BUDGET_BYTES,
      `embed.js is ${gzip} bytes gzipped, over the ${GZIP_BUDGET_BYTES}-byte budget by ${gzip - GZIP_BUDGET_BYTES} bytes`,
    );
  });

  describe('an English page loads no JavaScript besides embed.js', () => {
    let parley: RunningServer;
    let dist: { server: Server; url: string };
    let browser: Browser;
    let dataDir: string;

    before(async () => {
      readEmbed();
      dataDir = mkdtempSync(join(tmpdir(), 'parley-budget-'));
      parley = await startServer(
        loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `file:${join(dataDir, 'parley.sqlite')}` }),
        { quiet: true },
      );
      dist = await serveDist(parley.url);
      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close();
      await new Promise((done) => (dist ? dist.server.close(done) : done(undefined)));
      await parley?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('requests only embed.js while every element renders', async () => {
      const page = await browser.newPage({ locale: 'en-US' });
      const scripts: string[] = [];
      page.on('request', (request) => {
        if (request.resourceType() === 'script' || /\.m?js(\?|$)/.test(request.url())) scripts.push(new URL(request.url()).pathname);
      });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${dist.url}/page.html`);
      // Every element has talked to the server: the thread, the (empty) related list, the badge.
      await page.locator('parley-comments [part~="form"]').first().waitFor();
      await page.waitForFunction(() => /comment/i.test(document.querySelector('parley-count')?.shadowRoot?.textContent ?? ''));
      await page.waitForLoadState('networkidle');

      const extra = scripts.filter((path) => path !== '/embed.js');
      const chunkFiles = readdirSync(DIST).filter((file) => file !== 'embed.js' && /\.m?js$/.test(file));
      console.log(`scripts requested: ${scripts.join(', ')}; extra chunks loaded for English: ${extra.length}; other .js files in dist/: ${chunkFiles.length}`);
      assert.deepEqual(errors, [], 'no page errors');
      assert.deepEqual(scripts, ['/embed.js'], 'embed.js is the only script an English page needs');
    });
  });
});

/** Serves dist/ (the embed and any chunks it may load) and one English test page, on 127.0.0.1. */
function serveDist(parleyUrl: string): Promise<{ server: Server; url: string }> {
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Budget</title>
<script type="module" src="/embed.js"></script></head><body>
<parley-count server="${parleyUrl}" page="/budget"></parley-count>
<parley-related server="${parleyUrl}" page="/budget" loading="eager"></parley-related>
<parley-comments server="${parleyUrl}" page="/budget" loading="eager"></parley-comments>
</body></html>`;
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (path === '/page.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      return;
    }
    const file = resolve(DIST, `.${path}`);
    if (!file.startsWith(DIST + sep) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    const type = extname(file) === '.js' ? 'text/javascript' : 'application/octet-stream';
    response.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}
