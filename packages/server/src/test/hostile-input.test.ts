import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorBodySchema, NUL_CHARACTER_MESSAGE, PostedCommentSchema, UNPAIRED_SURROGATE_MESSAGE } from '@parley/schema';
import { createApp } from '../app.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from './helpers.ts';

const ADMIN_TOKEN = 'test-admin-token';
const adminHeaders = { ...jsonHeaders, authorization: `Bearer ${ADMIN_TOKEN}` };
const NUL = '\u0000';

/** Every table a request could write to, summed: a 4xx must leave it unchanged. */
async function rowsWritten(store: Store): Promise<number> {
  let total = 0;
  for (const table of ['comments', 'articles', 'flags', 'bans', 'admins'] as const) {
    const row = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    total += Number(row.n);
  }
  return total;
}

function cursorOf(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

for (const dialect of await dialectsUnderTest()) {
  describe(`hostile input on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const logged: unknown[] = [];

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      app = createApp({
        store,
        clock: manualClock(),
        config: { adminToken: ADMIN_TOKEN, embedFile: '/nonexistent/embed.js' },
        logError: (_message, error) => logged.push(error),
      });
    });
    after(async () => dispose?.());

    const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = jsonHeaders) =>
      app.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

    async function expectNulRefused(response: Response, field: string) {
      const body = ErrorBodySchema.parse(await response.json());
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(body.error.code, 'validation_failed');
      assert.deepEqual(body.error.issues?.find((issue) => issue.path === field), { path: field, message: NUL_CHARACTER_MESSAGE }, JSON.stringify(body));
    }

    test('a NUL character in any field is the same 400 naming the field, and writes nothing', async () => {
      const posted = await send('POST', '/api/comments', { page: '/nul', body: 'fine', author: { name: 'ann' } });
      assert.equal(posted.status, 201);
      const { id, editToken } = PostedCommentSchema.parse(await posted.json());
      const before = await rowsWritten(store);

      await expectNulRefused(await send('POST', '/api/comments', { page: '/nul', body: 'hi', author: { name: `x${NUL}` } }), 'author.name');
      await expectNulRefused(await send('POST', '/api/comments', { page: '/nul', body: `a${NUL}b` }), 'body');
      await expectNulRefused(await send('PATCH', `/api/comments/${id}`, { body: `edited${NUL}` }, { ...jsonHeaders, 'parley-edit-token': editToken }), 'body');
      await expectNulRefused(await send('POST', `/api/comments/${id}/flag`, { reason: 'spam', detail: `n${NUL}` }), 'detail');
      await expectNulRefused(await send('POST', '/api/admin/login', { email: `a${NUL}@b.example`, password: 'whatever-password' }), 'email');
      await expectNulRefused(
        await send('PUT', '/api/articles', { articles: [{ url: 'https://news.example/a', title: `T${NUL}` }] }, adminHeaders),
        'articles.0.title',
      );
      await expectNulRefused(await send('DELETE', `/api/articles?url=${encodeURIComponent(`https://news.example/a${NUL}`)}`, undefined, adminHeaders), 'url');
      await expectNulRefused(await send('GET', '/api/admin/comments?q=a%00b', undefined, adminHeaders), 'q');
      await expectNulRefused(
        await send('POST', '/api/admin/bans', { site: 'default', kind: 'ip', valueHash: 'a'.repeat(64), reason: `r${NUL}` }, adminHeaders),
        'reason',
      );
      assert.equal(await rowsWritten(store), before);
      assert.deepEqual(logged, []);
    });

    test('an unpaired surrogate in any text is a 400 naming the field (neither database can store it as sent), and writes nothing', async () => {
      const before = await rowsWritten(store);
      const refused = async (response: Response, field: string) => {
        const body = ErrorBodySchema.parse(await response.json());
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.deepEqual(body.error.issues?.find((issue) => issue.path === field), { path: field, message: UNPAIRED_SURROGATE_MESSAGE }, JSON.stringify(body));
      };
      // JSON.stringify writes a lone surrogate as the escape "\ud800", exactly what a hostile client sends.
      await refused(await send('POST', '/api/comments', { page: '/lone', body: 'x\ud800y' }), 'body');
      await refused(await send('POST', '/api/comments', { page: '/lone', body: 'hi', author: { name: 'end\udfff' } }), 'author.name');
      await refused(await send('POST', '/api/preview', { body: '\udc00' }), 'body');
      assert.equal(await rowsWritten(store), before);
      const emoji = await send('POST', '/api/comments', { page: '/lone', body: 'paired 😀 is fine' });
      assert.equal(emoji.status, 201);
      assert.equal(PostedCommentSchema.parse(await emoji.json()).html, '<p>paired 😀 is fine</p>');
    });

    test('forged cursors are 400 validation_failed on cursor, never a database error', async () => {
      const forged = [
        cursorOf({ s: 'top', l: 3_000_000_000, c: '2026-01-01T00:00:00.000Z', i: '01J00000000000000000000000' }),
        cursorOf({ s: 'top', l: 1, c: `2026${NUL}`, i: '01J00000000000000000000000' }),
        cursorOf({ s: 'top', l: 1, c: '2026-01-01T00:00:00.000Z', i: `x${NUL}` }),
        cursorOf({ s: 'top', l: 1e308, c: '2026-01-01T00:00:00.000Z', i: '01J00000000000000000000000' }),
      ];
      for (const cursor of forged) {
        const response = await send('GET', `/api/comments?page=/nul&sort=top&cursor=${cursor}`);
        const body = ErrorBodySchema.parse(await response.json());
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.equal(body.error.issues?.[0]?.path, 'cursor');
      }
      const parent = PostedCommentSchema.parse(await (await send('POST', '/api/comments', { page: '/cursor', body: 'parent' })).json());
      const replies = await send('GET', `/api/comments/${parent.id}/replies?cursor=${cursorOf({ r: 1, c: `x${NUL}`, i: 'y' })}`);
      assert.equal(replies.status, 400);
      assert.deepEqual(logged, []);
    });
  });
}
