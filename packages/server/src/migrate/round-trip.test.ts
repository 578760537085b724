import assert from 'node:assert/strict';
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../app.ts';
import { replacePins, upsertArticles } from '../store/articles.repository.ts';
import { insertBan } from '../store/bans.repository.ts';
import { setThreadLock, updateComment } from '../store/comments.repository.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason, tempDir } from '../test/helpers.ts';
import { exportDisqus } from './disqus-export.ts';
import { exportParley } from './exporter.ts';
import { importComments } from './importer.ts';
import { importFailed } from './report.ts';

const fixture = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name);
const SECRET = 'round-trip-secret';
const SITE = 'rt';

async function writeAll(chunks: AsyncIterable<string>, file: string): Promise<void> {
  const out = createWriteStream(file);
  for await (const chunk of chunks) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

const appOver = (store: Store) =>
  createApp({ store, clock: manualClock('2026-03-01T00:00:00.000Z'), config: { adminToken: 'admin-token', embedFile: '/nonexistent', trustProxy: true, secret: SECRET }, logError: () => {} });

/** Every public answer about every page: threads in each order (with Gravatar hashes), replies, counts, related cards. */
async function publicAnswers(app: ReturnType<typeof appOver>, pages: readonly string[]): Promise<Record<string, string>> {
  const answers: Record<string, string> = {};
  const get = async (url: string) => {
    const response = await app.request(url);
    answers[url] = `${response.status} ${await response.text()}`;
    return answers[url]!;
  };
  for (const page of pages) {
    const p = encodeURIComponent(page);
    for (const sort of ['oldest', 'newest', 'top']) await get(`/api/comments?site=${SITE}&page=${p}&sort=${sort}&avatars=gravatar`);
    const thread = JSON.parse((await get(`/api/comments?site=${SITE}&page=${p}&limit=2`)).slice(4)) as { comments: Array<{ id: string }>; nextCursor: string | null };
    if (thread.nextCursor) await get(`/api/comments?site=${SITE}&page=${p}&limit=2&cursor=${encodeURIComponent(thread.nextCursor)}`);
    for (const comment of thread.comments) {
      await get(`/api/comments/${comment.id}/replies?site=${SITE}`);
      await get(`/api/comments/${comment.id}?site=${SITE}`);
    }
    await get(`/api/related?site=${SITE}&page=${p}`);
  }
  const counts = await app.request('/api/counts', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ site: SITE, pages }) });
  answers.counts = `${counts.status} ${await counts.text()}`;
  return answers;
}

for (const dialect of await dialectsUnderTest()) {
  describe(`export → import round trip on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let source: Awaited<ReturnType<typeof dialect.open>>;
    let target: Awaited<ReturnType<typeof dialect.open>>;
    const temp = tempDir('parley-roundtrip-');
    let pages: string[] = [];

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      source = await dialect.open();
      target = await dialect.open();
      const { store } = source;
      // A site with every kind of thing: imported history (spam, pending, placeholders, locks, pins, likes)…
      for (const file of ['disqus.xml', 'wordpress.xml', 'remark42.jsonl', 'commento.json']) await importComments(store, [fixture(file)], { site: SITE, secret: SECRET });
      // …comments posted here, an edit, an owner's article with picks, a ban, a pinned comment and a lock.
      const app = appOver(store);
      const post = async (page: string, body: string, extra: Record<string, unknown> = {}) => {
        const response = await app.request('/api/comments', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ site: SITE, page, body, ...extra }) });
        assert.equal(response.status, 201, await response.clone().text());
        return (await response.json()) as { id: string; editToken: string };
      };
      const top = await post('/live', 'Hello *there*', { author: { name: 'Lou', email: 'lou@example.org' } });
      await post('/live', 'A reply', { parentId: top.id, author: { name: 'Max' } });
      for (let i = 0; i < 3; i++) await post('/live', `Number ${i}`);
      const edit = await app.request(`/api/comments/${top.id}`, { method: 'PATCH', headers: { ...jsonHeaders, 'Parley-Edit-Token': top.editToken }, body: JSON.stringify({ site: SITE, body: 'Hello *there*, edited' }) });
      assert.equal(edit.status, 200, await edit.text());
      await store.transaction(async (trx) => {
        await upsertArticles(trx, [
          { site: SITE, page_key: '/live', url: 'https://rt.example/live', title: 'Live page', description: 'About live things', image: 'https://rt.example/i.png', section: 'News', tags: '["live","news"]', published_at: '2026-01-01T00:00:00.000Z', body: 'Words about live news and things', published: 1, source: 'owner', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-02T00:00:00.000Z' },
        ]);
        await replacePins(trx, SITE, '/live', ['/posts/one/', '/2019/05/hello-world/'], '2026-01-03T00:00:00.000Z');
        await insertBan(trx, { id: 'ban-1', site: SITE, kind: 'email', value_hash: 'f'.repeat(64), reason: 'spam', created_at: '2026-01-04T00:00:00.000Z', expires_at: null });
        await updateComment(trx, top.id, { pinned: 1 });
        await setThreadLock(trx, SITE, '/live', true, '2026-01-05T00:00:00.000Z');
      });
      pages = (await store.db.selectFrom('comments').select('page').distinct().where('site', '=', SITE).orderBy('page').execute()).map((r) => r.page);
      pages.push('/no-comments-here');
    });
    after(async () => {
      await source?.dispose();
      await target?.dispose();
      temp.remove();
    });

    test('Parley export imported into an empty database answers every public request identically', async () => {
      const file = path.join(temp.dir, 'export.jsonl');
      await writeAll(exportParley(source.store, { site: SITE }), file);
      const header = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!);
      assert.deepEqual([header.type, header.version, header.site], ['parley-export', 1, SITE]);

      const report = await importComments(target.store, [file], { site: SITE, secret: SECRET });
      assert.ok(!importFailed(report), JSON.stringify(report.skipped));
      assert.deepEqual(report.reparented, []);
      assert.equal(report.bans, 1);
      assert.equal(report.relatedPins, 1);

      const expected = await publicAnswers(appOver(source.store), pages);
      const actual = await publicAnswers(appOver(target.store), pages);
      assert.ok(Object.keys(expected).length > pages.length * 4);
      for (const url of Object.keys(expected)) assert.equal(actual[url], expected[url], url);

      // Everything the owner sees came along too: statuses, emails, websites, locks, bans.
      const snapshot = async (store: Store) => ({
        comments: await store.db.selectFrom('comments').select(['id', 'status', 'author_email', 'body', 'parent_id', 'root_id', 'pinned', 'likes', 'edited_at']).where('site', '=', SITE).orderBy('id').execute(),
        locks: await store.db.selectFrom('thread_locks').selectAll().where('site', '=', SITE).orderBy('page').execute(),
        bans: await store.db.selectFrom('bans').selectAll().where('site', '=', SITE).execute(),
        websites: await store.db.selectFrom('import_sources').select('author_url').where('site', '=', SITE).where('author_url', 'is not', null).orderBy('author_url').execute(),
      });
      assert.deepEqual(await snapshot(target.store), await snapshot(source.store));

      const again = await importComments(target.store, [file], { site: SITE, secret: SECRET });
      assert.equal(again.imported, 0, 'importing the same export twice adds nothing');
    });

    test('the Disqus XML export reads back with the same threads, names and HTML', async () => {
      const file = path.join(temp.dir, 'export.xml');
      await writeAll(exportDisqus(source.store, { site: SITE, baseUrl: 'https://rt.example' }), file);
      const again = await dialect.open();
      try {
        const report = await importComments(again.store, [file], { site: SITE, secret: SECRET });
        assert.ok(!importFailed(report), JSON.stringify(report.skipped));
        assert.deepEqual(report.reparented, []);
        const view = async (store: Store) => {
          const app = appOver(store);
          const out: unknown[] = [];
          for (const page of pages) {
            const body = (await (await app.request(`/api/comments?site=${SITE}&page=${encodeURIComponent(page)}`)).json()) as { total: number; comments: unknown[] };
            // Disqus has no pins and equal timestamps sort by id (new ids here): compare the shape, not the order.
            const strip = (nodes: any[]): unknown[] => nodes.map((n) => JSON.stringify([n.author.name, n.html, n.createdAt, n.status, strip(n.replies)])).sort();
            out.push([page, body.total, strip(body.comments)]);
          }
          return out;
        };
        assert.deepEqual(await view(again.store), await view(source.store));
      } finally {
        await again.dispose();
      }
    });
  });
}
