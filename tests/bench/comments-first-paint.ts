// Benchmark: what a reader's browser does to show a 500-comment thread.
//   pnpm --filter @parley/tests bench:first-paint            (after `pnpm run build`)
//   BENCH_EMBED=/path/to/other/embed.js …                      (to compare another build)
// Seeds a temp SQLite through the store, starts the real server on 127.0.0.1 serving the built
// dist/embed.js, and opens an article page in Chromium (a fresh context per run, nothing cached).
// Per run: time to the first comment visible (navigation start → a comment body painted), total
// blocking time (long tasks past 50 ms, until the thread is shown and the network is idle), the JS
// heap after a GC, and the scripts fetched. Prints the median of RUNS; the last line is JSON.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../packages/server/src/config.ts';
import { startServer } from '../../packages/server/src/server.ts';
import { openStore } from '../../packages/server/src/store/store.ts';
import { launchChromium } from '../support/browser.ts';
import { seedThread } from './comments-seed.ts';

const COUNT = Number(process.env.BENCH_COMMENTS ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EMBED = process.env.BENCH_EMBED ?? fileURLToPath(new URL('../../packages/widgets/dist/embed.js', import.meta.url));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-paint-'));
try {
  const databaseUrl = `file:${path.join(dir, 'bench.sqlite')}`;
  const seedStore = openStore(databaseUrl);
  await seedStore.migrate();
  const { topLevel } = await seedThread(seedStore, { site: 'default', page: '/big', count: COUNT });
  await seedStore.close();

  const parley = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, PARLEY_EMBED_FILE: EMBED, PARLEY_SECRET: 'bench' }), { quiet: true });
  // The article, on an origin of its own as on a real site; the thread starts below one screen of text.
  const article = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench</title>
<script type="module" src="${parley.url}/embed.js"></script></head><body style="max-width:48rem;margin:auto;font:16px/1.5 system-ui">
<h1>A long story</h1>${'<p>Paragraph of the article text, long enough to wrap over a line or two on a desktop screen.</p>'.repeat(6)}
<parley-comments page="/big" no-live></parley-comments></body></html>`;
  const site = createServer((_, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(article));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  const browser = await launchChromium();
  try {
    const runs: Array<{ firstCommentMs: number; totalBlockingMs: number; heapMB: number; scripts: string[]; comments: number }> = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const scripts: string[] = [];
      page.on('request', (request) => request.resourceType() === 'script' && scripts.push(new URL(request.url()).pathname));
      await page.addInitScript(() => {
        const tasks: number[] = [];
        (window as unknown as { longTasks: number[] }).longTasks = tasks;
        new PerformanceObserver((list) => list.getEntries().forEach((entry) => tasks.push(entry.duration))).observe({ type: 'longtask', buffered: true });
      });
      await page.goto(siteUrl);
      // Polled every animation frame: the first frame in which a comment body has a box.
      const firstCommentMs = await page
        .waitForFunction(
          () => {
            const body = document.querySelector('parley-comments')?.shadowRoot?.querySelector('[part~="body"]');
            return body && body.getBoundingClientRect().height > 0 ? performance.now() : false;
          },
          undefined,
          { polling: 'raf', timeout: 30_000 },
        )
        .then((handle) => handle.jsonValue() as Promise<number>);
      await page.waitForLoadState('networkidle');
      const totalBlockingMs = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0));
      const comments = await page.evaluate(() => document.querySelector('parley-comments')!.shadowRoot!.querySelectorAll('article').length);
      const cdp = await context.newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      runs.push({ firstCommentMs, totalBlockingMs, heapMB: usedSize / 1024 / 1024, scripts, comments });
      await context.close();
    }
    const summary = {
      bench: 'comments-first-paint',
      embed: path.relative(process.cwd(), EMBED),
      comments: COUNT,
      topLevel,
      runs: RUNS,
      renderedComments: runs[0]!.comments,
      scripts: runs[0]!.scripts,
      firstCommentVisibleMs: Math.round(median(runs.map((run) => run.firstCommentMs))),
      totalBlockingTimeMs: Math.round(median(runs.map((run) => run.totalBlockingMs))),
      heapUsedMB: Math.round(median(runs.map((run) => run.heapMB)) * 10) / 10,
    };
    console.log(
      `${COUNT} comments (${topLevel} top-level), ${summary.renderedComments} rendered on the first screen; scripts ${summary.scripts.join(', ')}\n` +
        `first comment visible ${summary.firstCommentVisibleMs} ms, total blocking time ${summary.totalBlockingTimeMs} ms, JS heap ${summary.heapUsedMB} MB (median of ${RUNS})`,
    );
    console.log(JSON.stringify(summary));
  } finally {
    await browser.close();
    site.close();
    await parley.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
