import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { CommentThreadSchema, ErrorBodySchema } from '@parley/schema';
import { createApp } from '../app.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, manualClock, skipReason } from '../test/helpers.ts';

const fixture = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrate', 'fixtures', name);
const auth = { authorization: 'Bearer admin-token' };

for (const dialect of await dialectsUnderTest()) {
  describe(`admin import and export API on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      app = createApp({ store, clock: manualClock(), config: { adminToken: 'admin-token', embedFile: '/nonexistent', trustProxy: true, secret: 's' }, logError: () => {} });
    });
    after(async () => dispose?.());

    const upload = (query: string, body: Uint8Array | null, headers: Record<string, string> = auth) =>
      app.request(`/api/admin/import?${query}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...headers }, ...(body === null ? {} : { body }) });
    const errorCode = async (response: Response) => ErrorBodySchema.parse(await response.json()).error.code;

    test('admins only; bad queries and empty uploads are 4xx with the error shape', async () => {
      const xml = readFileSync(fixture('disqus.xml'));
      assert.equal((await upload('site=m', xml, {})).status, 401);
      const badFormat = await upload('site=m&format=blogger', xml);
      assert.equal(badFormat.status, 400);
      assert.equal(await errorCode(badFormat), 'validation_failed');
      const badMap = await upload('site=m&mapUrl=nonsense', xml);
      assert.equal(badMap.status, 400);
      const empty = await upload('site=m', new Uint8Array());
      assert.equal(empty.status, 400);
      assert.equal(await errorCode(empty), 'validation_failed');
      assert.equal((await app.request('/api/admin/export?site=m')).status, 401);
      assert.equal((await app.request('/api/admin/export?site=m&format=csv', { headers: auth })).status, 400);
    });

    test('an upload imports, streams progress then the report, and readers see it at once (cache dropped)', async () => {
      const page = '/posts/first-post/';
      const read = async () => CommentThreadSchema.parse(await (await app.request(`/api/comments?site=m&page=${encodeURIComponent(page)}`)).json());
      assert.equal((await read()).total, 0); // now cached as empty

      const response = await upload(`site=m&mapUrl=${encodeURIComponent('https://old.example.com/blog/=/posts/')}`, readFileSync(fixture('disqus.xml')));
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /ndjson/);
      const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line));
      assert.ok(lines.slice(0, -1).every((line) => line.type === 'progress'));
      const last = lines.at(-1);
      assert.equal(last.type, 'report');
      assert.equal(last.failed, true, 'one post has a broken date');
      assert.equal(last.report.imported, 8);
      assert.deepEqual(last.report.skipped.map((s: { sourceId: string; file: string }) => [s.sourceId, s.file]), [['2006', 'upload']]);
      assert.equal((await read()).total, 4, 'the cached empty page was dropped after the import');
    });

    test('a dry run on a server without PARLEY_SECRET answers, and the server keeps answering (SQLite has one connection)', async () => {
      const noSecret = createApp({ store, clock: manualClock(), config: { adminToken: 'admin-token', embedFile: '/nonexistent', trustProxy: true }, logError: () => {} });
      const response = await noSecret.request('/api/admin/import?site=dry&dryRun=1', { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...auth }, body: readFileSync(fixture('disqus.xml')) });
      assert.equal(response.status, 200);
      const last = JSON.parse((await response.text()).trim().split('\n').at(-1)!);
      assert.equal(last.type, 'report');
      assert.equal(last.report.imported, 8);
      const thread = CommentThreadSchema.parse(await (await noSecret.request('/api/comments?site=dry&page=%2Fposts%2Ffirst-post%2F')).json());
      assert.equal(thread.total, 0, 'nothing stayed');
    });

    test('export downloads the site as Parley JSON Lines or Disqus XML', async () => {
      const parley = await app.request('/api/admin/export?site=m', { headers: auth });
      assert.equal(parley.status, 200);
      assert.match(parley.headers.get('content-disposition') ?? '', /attachment; filename="parley-m-\d{4}-\d\d-\d\d\.jsonl"/);
      const records = (await parley.text()).trim().split('\n').map((line) => JSON.parse(line));
      assert.equal(records[0].type, 'parley-export');
      assert.equal(records.filter((r) => r.type === 'comment').length, 8);
      const disqus = await app.request('/api/admin/export?site=m&format=disqus&baseUrl=https://m.example', { headers: auth });
      assert.equal(disqus.status, 200);
      const xml = await disqus.text();
      assert.match(xml, /^<\?xml/);
      assert.equal((xml.match(/<post /g) ?? []).length, 8);
      assert.match(xml, /<link>https:\/\/m\.example\/posts\/first-post\/<\/link>/);
    });
  });
}
