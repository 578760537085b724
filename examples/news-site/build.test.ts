/**
 * The committed static site and import file match `content/articles.ts`, and the import
 * file is a valid `PUT /api/articles` body. Run `pnpm build` in this folder after editing content.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ArticlesUpsertSchema } from '@parley/schema';
import { articles } from './content/articles.ts';
import { PARLEY_ORIGIN, SERVER_RENDERED, articlePath, renderAll } from './content/render.ts';
import { sampleComments } from './content/sample-comments.ts';

const here = dirname(fileURLToPath(import.meta.url));
const read = (relative: string) => readFileSync(join(here, relative), 'utf8');

test('generated files are up to date (run `pnpm build` after editing content/)', () => {
  for (const [relative, expected] of renderAll()) {
    assert.equal(read(relative), expected, `${relative} is stale`);
  }
});

test('articles.json is a valid import body', () => {
  const parsed = ArticlesUpsertSchema.parse(JSON.parse(read('articles.json')));
  assert.equal(parsed.site, 'default');
  assert.equal(parsed.articles.length, 12);
  assert.equal(new Set(parsed.articles.map((a) => a.url)).size, 12);
});

test('every article has an illustration, 3–5 paragraphs and a known section', () => {
  const sections = new Set(articles.map((a) => a.section));
  assert.equal(sections.size, 4);
  for (const article of articles) {
    assert.ok(existsSync(join(here, 'site', 'images', `${article.slug}.svg`)), `${article.slug}.svg`);
    assert.ok(article.paragraphs.length >= 3 && article.paragraphs.length <= 5, article.slug);
    assert.ok(!Number.isNaN(Date.parse(article.publishedAt)), article.slug);
  }
});

test('each page loads Parley with one script and uses the elements plainly', () => {
  assert.ok(SERVER_RENDERED.size >= 1, 'at least one article is server-rendered');
  const index = read('site/index.html');
  for (const article of articles) {
    assert.ok(index.includes(`<parley-count page="${articlePath(article)}"></parley-count>`), article.slug);
    const html = read(`site${articlePath(article)}`);
    assert.ok(html.includes(`<link rel="canonical" href="${articlePath(article)}">`));
    // Server-rendered articles mark the elements for the site's server to fill in; the others stay empty.
    const mark = SERVER_RENDERED.has(article.slug) ? ' data-parley-render' : '';
    assert.ok(html.includes(`<parley-related${mark}></parley-related>`), article.slug);
    assert.ok(html.includes(`<parley-comments${mark}></parley-comments>`), article.slug);
    assert.ok(html.indexOf('<parley-related') < html.indexOf('<parley-comments'));
  }
  for (const html of [index, ...articles.map((a) => read(`site${articlePath(a)}`))]) {
    assert.ok(html.startsWith('<!doctype html>\n<html lang="en">'));
    assert.equal(html.split('<script').length - 1, 1);
    assert.ok(html.includes(`<script type="module" src="${PARLEY_ORIGIN}/embed.js"></script>`));
  }
});

test('sample comments are for real articles', () => {
  const slugs = new Set(articles.map((a) => a.slug));
  for (const slug of Object.keys(sampleComments)) assert.ok(slugs.has(slug), slug);
});
