import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { CommentThreadSchema, type CommentNode } from '@parley/schema';
import { createApp } from '../app.ts';
import { isThreadLocked } from '../store/comments.repository.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, manualClock, skipReason, tempDir } from '../test/helpers.ts';
import { importComments } from './importer.ts';
import { detectFormat } from './detect.ts';
import { importFailed, type ImportReport } from './report.ts';

const fixture = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name);
const SECRET = 'import-test-secret';

/** An Isso database as Isso 0.13 creates it, with awkward rows. */
function makeIssoDb(file: string): void {
  const db = new SQLite(file);
  db.exec(`CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
    CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER, created FLOAT NOT NULL, modified FLOAT,
      mode INTEGER, remote_addr VARCHAR, text VARCHAR, author VARCHAR, email VARCHAR, website VARCHAR, likes INTEGER DEFAULT 0,
      dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL, notification INTEGER DEFAULT 0);`);
  db.prepare('INSERT INTO threads VALUES (?, ?, ?)').run(1, '/isso/page/?x=1', 'Isso page');
  const insert = db.prepare('INSERT INTO comments (tid, id, parent, created, mode, text, author, email, website, likes, voters) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  insert.run(1, 3, 1, 1_600_000_300.5, 1, 'A reply written *before* its parent id', 'Ivy', null, 'javascript:alert(1)', 0, Buffer.alloc(0));
  insert.run(1, 1, null, 1_600_000_000.25, 4, '', null, null, null, 0, Buffer.alloc(0));
  insert.run(1, 2, null, 1_600_000_100, 2, 'needs moderation', 'Moe', 'moe@example.org', 'https://moe.example.org', 0, Buffer.alloc(0));
  insert.run(1, 4, null, 1_600_000_400, 1, 'Hello <b>world</b> & `code`', 'Ida &amp; Al', 'ida@example.org', null, 7, Buffer.alloc(0));
  db.close();
}

function flatten(nodes: readonly CommentNode[]): CommentNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.replies)]);
}

for (const dialect of await dialectsUnderTest()) {
  describe(`import comments on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const temp = tempDir('parley-import-');

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      app = createApp({ store, clock: manualClock('2026-03-01T00:00:00.000Z'), config: { adminToken: undefined, embedFile: '/nonexistent', trustProxy: true, secret: SECRET }, logError: () => {} });
    });
    after(async () => {
      await dispose?.();
      temp.remove();
    });

    const thread = async (site: string, page: string) => {
      const response = await app.request(`/api/comments?site=${site}&page=${encodeURIComponent(page)}`);
      assert.equal(response.status, 200, await response.clone().text());
      return CommentThreadSchema.parse(await response.json());
    };
    const rows = (site: string) => store.db.selectFrom('comments').selectAll().where('site', '=', site).orderBy('created_at').execute();
    const run = (site: string, file: string, extra: Partial<Parameters<typeof importComments>[2]> = {}) =>
      importComments(store, [fixture(file)], { site, secret: SECRET, ...extra });
    const skippedIds = (report: ImportReport) => report.skipped.map((s) => `${s.sourceId}:${s.failure ? 'failure' : 'choice'}`).sort();

    test('Disqus: thread shape, dates, names, statuses, sanitising, pages, locks, articles', async () => {
      const report = await run('dq', 'disqus.xml', { mapUrl: [{ from: 'https://old.example.com/blog/', to: '/posts/' }] });
      assert.equal(report.files[0]!.format, 'disqus');
      assert.deepEqual(skippedIds(report), ['2006:failure']);
      assert.match(report.skipped[0]!.reason, /unreadable date "yesterday-ish"/);
      assert.ok(importFailed(report), 'a broken date makes the import fail (exit 1), the rest is kept');
      assert.deepEqual(report.reparented.map((r) => [r.sourceId, r.parentSourceId]), [['2004', '9999']]);
      assert.deepEqual(report.byStatus, { visible: 5, spam: 1, pending: 1, deleted: 1 });
      assert.equal(report.deletedDropped, 1);
      assert.deepEqual(report.byPage, { '/posts/first-post/': 5, '/posts/closed-post/': 3 });

      const first = await thread('dq', '/posts/first-post/');
      assert.equal(first.total, 4);
      assert.deepEqual(first.comments.map((c) => c.author.name), ['Ann & Co <b>', 'Dan']);
      const [ann] = first.comments;
      assert.equal(ann!.createdAt, '2015-03-01T11:00:00.000Z');
      assert.equal(ann!.html, '<p>First!</p><p>Second paragraph with <a href="https://example.com/x" rel="nofollow ugc noopener noreferrer">a link</a> and <code>x &lt; y</code>.</p>');
      const carl = ann!.replies[0]!;
      assert.equal(carl.author.name, 'Carl');
      assert.equal(carl.html, '<p>Plain line one<br />line two</p><p>new paragraph bad link <strong>bold</strong></p>');
      assert.equal(carl.replies[0]!.author.name, 'Bea «B»');
      assert.equal(carl.replies[0]!.html, '<p>I agree with <em>you</em>.</p>');

      const stored = await rows('dq');
      const annRow = stored.find((r) => r.author_name === 'Ann & Co <b>')!;
      assert.equal(annRow.author_email, 'ann@example.org');
      assert.match(annRow.author_email_hash ?? '', /^[0-9a-f]{64}$/);
      assert.equal(stored.find((r) => r.body === 'Buy pills')?.status, 'spam');
      assert.equal(stored.find((r) => r.author_name === 'Hal')?.status, 'pending');
      const urls = await store.db.selectFrom('import_sources').select(['source_id', 'author_url']).where('site', '=', 'dq').orderBy('source_id').execute();
      assert.equal(urls.find((u) => u.source_id === '2002')?.author_url, 'https://carl.example.net/');
      assert.equal(urls.find((u) => u.source_id === '2001')?.author_url, null, 'javascript: websites are dropped');

      const closed = await thread('dq', '/posts/closed-post/');
      assert.deepEqual(flatten(closed.comments).map((c) => [c.status, c.author.name, c.html]), [
        ['deleted', null, ''],
        ['visible', 'Fay', '<p>Reply under a deleted comment</p>'],
      ]);
      assert.ok(await isThreadLocked(store.db, 'dq', '/posts/closed-post/'));
      assert.ok(!(await isThreadLocked(store.db, 'dq', '/posts/first-post/')));
      const articles = await store.db.selectFrom('articles').select(['page_key', 'title', 'published_at']).where('site', '=', 'dq').orderBy('page_key').execute();
      assert.deepEqual(articles, [
        { page_key: '/posts/closed-post/', title: 'Closed <b>post</b>', published_at: '2015-04-01T10:00:00.000Z' },
        { page_key: '/posts/first-post/', title: 'First post «quoted»', published_at: '2015-03-01T10:00:00.000Z' },
      ]);
    });

    test('a repeat import changes nothing and creates no duplicate', async () => {
      const before = await rows('dq');
      const report = await run('dq', 'disqus.xml', { mapUrl: [{ from: 'https://old.example.com/blog/', to: '/posts/' }] });
      assert.equal(report.imported, 0);
      assert.equal(report.unchanged, 9, 'every item handled before, the dropped deleted one included');
      assert.deepEqual(await rows('dq'), before);
    });

    test('a parent after its reply in a later batch still gets it (batches of one comment)', async () => {
      const mapUrl = [{ from: 'https://old.example.com/blog/', to: '/posts/' }];
      const report = await run('dq1', 'disqus.xml', { mapUrl, batchSize: 1 });
      assert.deepEqual(report.reparented.map((r) => r.sourceId), ['2004']);
      const shape = (nodes: readonly CommentNode[]): unknown[] => nodes.map((n) => [n.author.name, n.status, n.replyCount, shape(n.replies)]);
      for (const page of ['/posts/first-post/', '/posts/closed-post/']) {
        assert.deepEqual(shape((await thread('dq1', page)).comments), shape((await thread('dq', page)).comments), page);
      }
      const roots = await store.db.selectFrom('comments').select(['id', 'parent_id', 'root_id']).where('site', '=', 'dq1').execute();
      const byId = new Map(roots.map((r) => [r.id, r]));
      for (const row of roots) {
        let top = row;
        while (top.parent_id) top = byId.get(top.parent_id)!;
        assert.equal(row.root_id, top.id, 'every comment names its top-level ancestor');
      }
    });

    test('--dry-run reports without writing', async () => {
      const report = await run('dry', 'disqus.xml', { dryRun: true });
      assert.equal(report.imported, 8);
      assert.equal((await rows('dry')).length, 0);
      assert.equal((await store.db.selectFrom('import_sources').select('source_id').where('site', '=', 'dry').execute()).length, 0);
    });

    test('WordPress WXR: GMT dates, pingbacks left out, statuses, closed comments, categories', async () => {
      assert.equal(await detectFormat(fixture('wordpress.xml')), 'wordpress');
      const report = await run('wp', 'wordpress.xml');
      assert.deepEqual(skippedIds(report), ['53:choice', '54:choice', '58:failure']);
      assert.deepEqual(report.byStatus, { visible: 2, pending: 1, spam: 1 });
      assert.equal(report.deletedDropped, 1);
      const page = await thread('wp', '/2019/05/hello-world/');
      const [wendy] = page.comments;
      assert.equal(wendy!.author.name, 'Wendy');
      assert.equal(wendy!.createdAt, '2019-05-01T12:00:00.000Z');
      assert.equal(wendy!.html, '<p>Great post!</p><p>Second <strong>paragraph</strong> with  and a <a href="https://example.com/" rel="nofollow ugc noopener noreferrer">link</a>.</p>');
      assert.equal(wendy!.replies[0]!.author.name, 'Reply «first»');
      assert.ok(await isThreadLocked(store.db, 'wp', '/2019/05/hello-world/'));
      const article = await store.db.selectFrom('articles').selectAll().where('site', '=', 'wp').executeTakeFirstOrThrow();
      assert.deepEqual([article.title, article.section, JSON.parse(article.tags), article.published_at], ['Hello & welcome', 'News', ['News', 'intro'], '2019-05-01T10:00:00.000Z']);
      const urls = await store.db.selectFrom('import_sources').select(['source_id', 'author_url']).where('site', '=', 'wp').orderBy('source_id').execute();
      assert.deepEqual(urls.filter((u) => u.author_url).map((u) => u.source_id), ['51']);

      const withPings = await run('wp2', 'wordpress.xml', { withPingbacks: true });
      assert.deepEqual(skippedIds(withPings), ['58:failure']);
      assert.equal((await thread('wp2', '/2019/05/hello-world/')).total, 4);
    });

    test('Remark42 backup: HTML kept readable, images and scripts gone, pins and scores, read-only posts', async () => {
      const report = await run('r42', 'remark42.jsonl');
      assert.equal(report.files[0]!.format, 'remark42');
      assert.deepEqual(skippedIds(report), ['line 6:failure']);
      const one = await thread('r42', '/posts/one/');
      assert.equal(one.comments[0]!.html, '<p>Top comment with <strong>markup</strong> &amp; an  image</p>');
      assert.equal(one.comments[0]!.author.name, 'Ron <admin>');
      assert.equal(one.comments[0]!.likes, 5);
      assert.equal(one.comments[0]!.replies[0]!.author.name, 'Rita');
      const locked = await thread('r42', '/posts/locked/');
      assert.deepEqual(flatten(locked.comments).map((c) => c.status), ['deleted', 'visible']);
      assert.ok(await isThreadLocked(store.db, 'r42', '/posts/locked/'));
    });

    test('Commento export: markdown rendered by the comment renderer, commenters joined', async () => {
      const report = await run('cm', 'commento.json');
      assert.equal(report.files[0]!.format, 'commento');
      assert.deepEqual(skippedIds(report), ['c4:failure']);
      const page = await thread('cm', '/articles/a');
      assert.equal(page.comments.length, 1);
      const [top] = page.comments;
      assert.equal(top!.author.name, 'Una & Co');
      assert.equal(top!.html, '<p>Top <strong>comment</strong> with &lt;script&gt;alert(1)&lt;/script&gt; and <a href="https://example.com/" rel="nofollow ugc noopener noreferrer">a link</a></p>');
      assert.equal(top!.replies[0]!.html, '<p>A <em>reply</em> before its parent</p>');
      assert.equal((await rows('cm')).find((r) => r.body === 'waiting')?.status, 'pending');
    });

    test('Isso database: read-only, epoch dates, modes, deleted parents kept for replies', async () => {
      const file = path.join(temp.dir, 'isso.db');
      makeIssoDb(file);
      assert.equal(await detectFormat(file), 'isso');
      const report = await importComments(store, [file], { site: 'isso', secret: SECRET });
      assert.deepEqual(report.skipped, []);
      assert.ok(!importFailed(report));
      const page = await thread('isso', '/isso/page/');
      assert.deepEqual(flatten(page.comments).map((c) => [c.status, c.author.name, c.createdAt]), [
        ['deleted', null, '2020-09-13T12:26:40.250Z'],
        ['visible', 'Ivy', '2020-09-13T12:31:40.500Z'],
        ['visible', 'Ida & Al', '2020-09-13T12:33:20.000Z'],
      ]);
      assert.equal(page.comments[1]!.html, '<p>Hello &lt;b&gt;world&lt;/b&gt; &amp; <code>code</code></p>');
      assert.equal(page.comments[1]!.likes, 7);
      assert.equal((await rows('isso')).find((r) => r.author_name === 'Moe')?.status, 'pending');
    });

    test('PostgreSQL: the tables an import fills get planner statistics (else the known-ids look-up scans the whole site)', { skip: dialect.name !== 'postgres' }, async () => {
      await run('stats', 'disqus.xml');
      const estimates = await sql<{ relname: string; reltuples: number }>`select relname, reltuples from pg_class where oid in ('import_sources'::regclass, 'comments'::regclass)`.execute(store.db);
      // -1: never analyzed (autovacuum gets there a minute later at best).
      for (const { relname, reltuples } of estimates.rows) assert.ok(Number(reltuples) > 0, `${relname}: ${reltuples}`);
    });

    test('a Disqus export with more threads than one statement can name (they all come before the first post)', async () => {
      // 33,000 thread URLs: over SQLite's 32,766 bound parameters if looked up in one IN list.
      const threads = 33_000;
      const file = path.join(temp.dir, 'many-threads.xml');
      const parts = ['<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'];
      for (let t = 1; t <= threads; t++) parts.push(`<thread dsq:id="${t}"><link>https://old.example.com/p-${t}/</link><title>Post ${t}</title><createdAt>2020-01-01T00:00:00Z</createdAt><isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n`);
      parts.push('<post dsq:id="9"><message><![CDATA[<p>The only comment</p>]]></message><createdAt>2020-01-02T00:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Ann</name></author><thread dsq:id="33000"/></post>\n</disqus>\n');
      writeFileSync(file, parts.join(''));
      const report = await importComments(store, [file], { site: 'many', secret: SECRET });
      assert.equal(importFailed(report), false, JSON.stringify(report.files));
      assert.equal(report.imported, 1);
      assert.equal(report.articles.added, threads);
      assert.equal((await thread('many', '/p-33000/')).total, 1);
    });

    test('an unknown format is a failed file, not a crash', async () => {
      const report = await importComments(store, [fixture('../item.ts')], { site: 'none' });
      assert.match(report.files[0]!.error ?? '', /unrecognised format/);
      assert.ok(importFailed(report));
    });
  });
}
