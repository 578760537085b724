import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { listArticles } from './store/articles.repository.ts';
import { openStore } from './store/store.ts';
import { tempDir } from './test/helpers.ts';

const BIN = fileURLToPath(new URL('../bin/parley.mjs', import.meta.url));

/** Runs the real bin (tsx loader and all) and never throws: the exit code is part of what we test. */
async function parley(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('parley CLI', () => {
  const temp = tempDir();
  const databaseUrl = `file:${path.join(temp.dir, 'cli.sqlite')}`;
  after(() => temp.remove());

  test('import-articles upserts a file into the database', async () => {
    const file = path.join(temp.dir, 'articles.json');
    writeFileSync(file, JSON.stringify([
      { url: 'https://blog.example/posts/one?x=1', title: 'One', tags: ['a'] },
      { url: '/posts/two', title: 'Two', publishedAt: '2026-05-01T00:00:00Z' },
    ]));
    const result = await parley(['import-articles', file, '--site', 'blog'], { DATABASE_URL: databaseUrl });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /"blog": 2 inserted, 0 updated/);

    const store = openStore(databaseUrl);
    try {
      const rows = await listArticles(store.db, 'blog');
      assert.deepEqual(rows.map((r) => [r.page_key, r.title]), [['/posts/two', 'Two'], ['/posts/one', 'One']]);
    } finally {
      await store.close();
    }
  });

  test('a bad file names the item and field and exits 1, writing nothing', async () => {
    const file = path.join(temp.dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ site: 'bad', articles: [{ url: '/ok', title: 'Fine' }, { url: '/x', title: '' }] }));
    const result = await parley(['import-articles', file], { DATABASE_URL: databaseUrl });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /articles\.1\.title/);
    const store = openStore(databaseUrl);
    try {
      assert.equal((await listArticles(store.db, 'bad')).length, 0);
    } finally {
      await store.close();
    }
  });

  test('migrate and usage errors', async () => {
    const fresh = `file:${path.join(temp.dir, 'fresh.sqlite')}`;
    const migrated = await parley(['migrate'], { DATABASE_URL: fresh });
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, /0001_initial/);
    const unknown = await parley(['frobnicate'], { DATABASE_URL: fresh });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Unknown command "frobnicate"/);
  });
});
