import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CommentSchema, CommentThreadSchema, CountsResponseSchema, ErrorBodySchema, PUBLIC_REQUEST_MAX_BYTES, RelatedResponseSchema } from '@parley/schema';
import { loadConfig } from '../config.ts';
import { startServer, type RunningServer } from '../server.ts';
import { jsonHeaders, tempDir } from './helpers.ts';

describe('over real HTTP', () => {
  const temp = tempDir();
  const embedFile = path.join(temp.dir, 'embed.js');
  let server: RunningServer;

  before(async () => {
    writeFileSync(embedFile, 'console.log("parley embed");\n');
    const config = loadConfig({ PORT: '0', DATABASE_URL: `file:${path.join(temp.dir, 'db.sqlite')}`, PARLEY_ADMIN_TOKEN: 'secret', PARLEY_EMBED_FILE: embedFile });
    server = await startServer(config, { quiet: true });
  });
  after(async () => {
    await server?.close();
    temp.remove();
  });

  test('listens on a random port', () => {
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
  });

  test('post, read back, count, related', async () => {
    const posted = await fetch(`${server.url}/api/comments`, { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ page: '/story', body: 'Hello over HTTP' }) });
    assert.equal(posted.status, 201);
    const comment = CommentSchema.parse(await posted.json());

    const thread = CommentThreadSchema.parse(await (await fetch(`${server.url}/api/comments?page=%2Fstory`)).json());
    assert.deepEqual(thread.comments.map((c) => c.id), [comment.id]);

    const counts = CountsResponseSchema.parse(await (await fetch(`${server.url}/api/counts`, { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ pages: ['/story', '/other'] }) })).json());
    assert.deepEqual(counts, { counts: { '/story': 1, '/other': 0 } });

    const put = await fetch(`${server.url}/api/articles`, {
      method: 'PUT',
      headers: { ...jsonHeaders, authorization: 'Bearer secret' },
      body: JSON.stringify({ articles: [{ url: '/story', title: 'Story about bees', tags: ['bees'] }, { url: '/hive', title: 'Bees in a hive', tags: ['bees'] }] }),
    });
    assert.equal(put.status, 200);
    const related = RelatedResponseSchema.parse(await (await fetch(`${server.url}/api/related?page=%2Fstory`)).json());
    assert.deepEqual(related.items.map((i) => i.url), ['/hive']);
  });

  test('embed.js is served with a strong ETag and answers 304 to If-None-Match', async () => {
    const response = await fetch(`${server.url}/embed.js`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(response.headers.get('cache-control'), 'public, max-age=300');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    const etag = response.headers.get('etag');
    assert.match(etag ?? '', /^"[A-Za-z0-9_-]+"$/);
    assert.equal(await response.text(), 'console.log("parley embed");\n');

    const revalidated = await fetch(`${server.url}/embed.js`, { headers: { 'if-none-match': etag! } });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.headers.get('etag'), etag);

    // A rebuilt bundle gets a new ETag without a restart.
    writeFileSync(embedFile, 'console.log("rebuilt, longer");\n');
    const changed = await fetch(`${server.url}/embed.js`, { headers: { 'if-none-match': etag! } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
  });

  test('a chunked body over the limit without Content-Length is refused with 413', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${server.url}/api/comments`, { method: 'POST', headers: jsonHeaders }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      request.on('error', reject);
      request.write(JSON.stringify({ page: '/story', body: 'x'.repeat(PUBLIC_REQUEST_MAX_BYTES) }));
      request.end();
    });
    assert.equal(status, 413);
    assert.equal(ErrorBodySchema.parse(JSON.parse(body)).error.code, 'payload_too_large');
    const thread = CommentThreadSchema.parse(await (await fetch(`${server.url}/api/comments?page=%2Fstory`)).json());
    assert.equal(thread.total, 1);
  });
});

describe('embed.js when the bundle is missing', () => {
  const temp = tempDir();
  let server: RunningServer;
  before(async () => {
    const config = loadConfig({ PORT: '0', DATABASE_URL: `file:${path.join(temp.dir, 'db.sqlite')}`, PARLEY_EMBED_FILE: path.join(temp.dir, 'missing.js') });
    server = await startServer(config, { quiet: true });
  });
  after(async () => {
    await server?.close();
    temp.remove();
  });

  test('answers 503 with a JSON error telling to build', async () => {
    const response = await fetch(`${server.url}/embed.js`);
    assert.equal(response.status, 503);
    const body = ErrorBodySchema.parse(await response.json());
    assert.match(body.error.message, /pnpm build/);
  });

  test('healthz still answers', async () => {
    assert.deepEqual(await (await fetch(`${server.url}/healthz`)).json(), { status: 'ok' });
  });
});
