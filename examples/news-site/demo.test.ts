/** `startDemo` end to end on free ports and a throwaway database. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { maskPassword, startDemo, type Demo } from './start-demo.ts';

const dir = mkdtempSync(join(tmpdir(), 'parley-news-'));
const databaseUrl = `file:${join(dir, 'demo.sqlite')}`;
let demo: Demo;

before(async () => {
  demo = await startDemo({ parleyPort: 0, sitePort: 0, databaseUrl, quiet: true });
});
after(async () => {
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

const rooftop = '/articles/rooftop-meadows.html';

test('serves the pages with the embed script pointing at this run’s Parley server', async () => {
  const response = await fetch(`${demo.siteUrl}${rooftop}`);
  assert.equal(response.status, 200);
  const html = await response.text();
  assert.ok(html.includes(`<script type="module" src="${demo.parleyUrl}/embed.js"></script>`));
  assert.ok(!html.includes('127.0.0.1:8787') || demo.parleyUrl.endsWith(':8787'));
  const home = await fetch(`${demo.siteUrl}/`);
  assert.equal(home.status, 200);
  assert.equal((await fetch(`${demo.siteUrl}/styles.css`)).headers.get('content-type')?.startsWith('text/css'), true);
  assert.equal((await fetch(`${demo.siteUrl}/nope.html`)).status, 404);
});

test('imports the articles, so related articles come back', async () => {
  const response = await fetch(`${demo.parleyUrl}/api/related?page=${encodeURIComponent(rooftop)}`);
  assert.equal(response.status, 200);
  const { items } = (await response.json()) as { items: { url: string }[] };
  assert.ok(items.length > 0);
  assert.ok(!items.some((item) => item.url === rooftop));
});

test('seeds sample comments once, and a restart neither duplicates them nor the articles', async () => {
  const counts = async (parleyUrl: string) => {
    const response = await fetch(`${parleyUrl}/api/counts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pages: [rooftop] }),
    });
    return ((await response.json()) as { counts: Record<string, number> }).counts[rooftop];
  };
  assert.equal(await counts(demo.parleyUrl), 4);
  await demo.close();
  demo = await startDemo({ parleyPort: 0, sitePort: 0, databaseUrl, quiet: true });
  assert.equal(await counts(demo.parleyUrl), 4);
});

test('the printed database URL never shows its password', () => {
  assert.equal(maskPassword('postgres://parley:s3cret@db.example:5432/parley'), 'postgres://parley:****@db.example:5432/parley');
  assert.equal(maskPassword('postgresql://user:p%40ss@127.0.0.1/db'), 'postgresql://user:****@127.0.0.1/db');
  assert.equal(maskPassword('postgres://root@127.0.0.1/test'), 'postgres://root@127.0.0.1/test');
  assert.equal(maskPassword('file:/tmp/demo.sqlite'), 'file:/tmp/demo.sqlite');
});
