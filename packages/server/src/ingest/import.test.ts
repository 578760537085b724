import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../cli.ts';
import { openStore } from '../store/store.ts';
import { listArticles } from '../store/articles.repository.ts';
import { tempDir } from '../test/helpers.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('parley import (feeds, sitemaps, URLs)', () => {
  const dir = tempDir();
  const databaseUrl = `file:${path.join(dir.dir, 'parley.sqlite')}`;
  let feedServer: ReturnType<typeof createServer>;
  let base = '';

  before(async () => {
    // A local stand-in for the owner's own site: the CLI fetches URLs, the server never does.
    feedServer = createServer((req, res) => {
      if (req.url === '/feed.atom') {
        res.writeHead(200, { 'content-type': 'application/atom+xml' });
        res.end(readFileSync(path.join(fixtures, 'atom.xml')));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
  });
  after(() => {
    feedServer.close();
    dir.remove();
  });

  test('imports good items from several sources, names each bad item, exits 1', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      ['import', path.join(fixtures, 'rss.xml'), path.join(fixtures, 'feed.json'), `${base}/feed.atom`, `${base}/missing.xml`, '--site', 'gazette'],
      { env: { DATABASE_URL: databaseUrl }, out: (l) => out.push(l), err: (l) => err.push(l) },
    );
    assert.equal(code, 1);
    assert.ok(out.some((l) => l.endsWith('rss.xml: rss, 4 article(s)')), out.join('\n'));
    assert.ok(out.includes(`${base}/feed.atom: atom, 3 article(s)`), out.join('\n'));
    assert.ok(out.includes('Imported into site "gazette": 9 inserted, 0 updated'), out.join('\n'));
    assert.ok(err.some((l) => /rss\.xml item 4: no link/.test(l)), err.join('\n'));
    assert.ok(err.some((l) => /feed\.json item 3 \(Bad scheme\): no link/.test(l)), err.join('\n'));
    assert.ok(err.includes(`error: ${base}/missing.xml: cannot read: HTTP 404`), err.join('\n'));

    const store = openStore(databaseUrl);
    try {
      const rows = await listArticles(store.db, 'gazette');
      assert.equal(rows.length, 9);
      assert.ok(rows.some((r) => r.url === 'https://blog.example/posts/compost.html' && r.source === 'owner' && r.published === 1));
    } finally {
      await store.close();
    }
  });
});
