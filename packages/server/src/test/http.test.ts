import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
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

  /** A raw request, so the body arrives exactly as sent (fetch would decode it). */
  function rawGet(url: string, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http.get(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
  }

  test('embed.js is sent brotli- or gzip-compressed when the browser accepts it', async () => {
    writeFileSync(embedFile, `console.log(${JSON.stringify('parley '.repeat(200))});\n`);
    const plain = await rawGet(`${server.url}/embed.js`);
    const br = await rawGet(`${server.url}/embed.js`, { 'accept-encoding': 'gzip, deflate, br' });
    const gz = await rawGet(`${server.url}/embed.js`, { 'accept-encoding': 'gzip' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.ok(br.body.length < plain.body.length / 4, `brotli ${br.body.length} B vs ${plain.body.length} B`);
    assert.deepEqual(brotliDecompressSync(br.body), plain.body);
    assert.deepEqual(gunzipSync(gz.body), plain.body);
  });

  test('language chunks are served from i18n/ beside the bundle; other names are 404', async () => {
    mkdirSync(path.join(temp.dir, 'i18n'), { recursive: true });
    writeFileSync(path.join(temp.dir, 'i18n', 'uk.js'), 'export default {};\n');
    const chunk = await rawGet(`${server.url}/i18n/uk.js`);
    assert.equal(chunk.status, 200);
    assert.equal(chunk.headers['access-control-allow-origin'], '*');
    assert.match(String(chunk.headers['content-type']), /^text\/javascript/);
    assert.equal(chunk.body.toString(), 'export default {};\n');
    // Widget parts loaded later are chunks there too.
    writeFileSync(path.join(temp.dir, 'i18n', 'card-watch.js'), 'export {};\n');
    assert.equal((await rawGet(`${server.url}/i18n/card-watch.js`)).status, 200);
    for (const name of ['xx.js', '..%2Fembed.js', 'uk.json', '%2e%2e%2fdb.sqlite']) {
      const response = await rawGet(`${server.url}/i18n/${name}`);
      assert.equal(response.status, 404, name);
      assert.equal(ErrorBodySchema.parse(JSON.parse(response.body.toString())).error.code, 'not_found');
    }
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

describe('cross-origin over real HTTP', () => {
  const temp = tempDir();
  const sitesFile = path.join(temp.dir, 'sites.json');
  const ORIGIN = 'https://news.example';
  let server: RunningServer;

  before(async () => {
    // One write an hour from an IP, so the second post is a 429 with Retry-After.
    writeFileSync(sitesFile, JSON.stringify({ sites: [{ id: 'news', origins: [ORIGIN], minFillSeconds: 0, rateLimits: { perIp: { max: 1, windowSeconds: 3600 } } }] }));
    const config = loadConfig({ PORT: '0', DATABASE_URL: `file:${path.join(temp.dir, 'db.sqlite')}`, PARLEY_CONFIG: sitesFile });
    server = await startServer(config, { quiet: true });
  });
  after(async () => {
    await server?.close();
    temp.remove();
  });

  const post = (body: string) =>
    fetch(`${server.url}/api/comments`, { method: 'POST', headers: { ...jsonHeaders, origin: ORIGIN }, body: JSON.stringify({ site: 'news', page: '/story', body }) });
  const exposed = (response: Response) => (response.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/);

  test('a 429 to a page on an allowed origin exposes Retry-After to its script', async () => {
    const first = await post('First from the news site');
    assert.equal(first.status, 201, await first.clone().text());
    assert.equal(first.headers.get('access-control-allow-origin'), ORIGIN);
    assert.ok(exposed(first).includes('retry-after'), `expose: ${first.headers.get('access-control-expose-headers')}`);

    const limited = await post('Second from the news site');
    assert.equal(limited.status, 429);
    assert.equal(ErrorBodySchema.parse(await limited.json()).error.code, 'rate_limited');
    assert.equal(limited.headers.get('access-control-allow-origin'), ORIGIN);
    assert.ok(exposed(limited).includes('retry-after'), `expose: ${limited.headers.get('access-control-expose-headers')}`);
    const seconds = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(seconds) && seconds > 0 && seconds <= 3600, `Retry-After: ${limited.headers.get('retry-after')}`);
  });

  test('a page on another origin is not let in on it', async () => {
    const response = await fetch(`${server.url}/api/comments?site=news&page=%2Fstory`, { headers: { origin: 'https://evil.example' } });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
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
