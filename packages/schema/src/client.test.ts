import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, callApi } from './client.ts';

// apiUrl resolves against the page; Node has no page.
(globalThis as { location?: { href: string } }).location ??= { href: 'http://localhost/' };

type Seen = { method: string; url: string; headers: IncomingMessage['headers']; body: string };

describe('callApi', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];

  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push({ method: request.method!, url: request.url!, headers: request.headers, body });
        const pathname = new URL(request.url!, 'http://x').pathname.replace(/^\/prefix/, '');
        if (pathname === '/api/admin/logout') return response.writeHead(204).end();
        if (pathname === '/api/counts') {
          return response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' })
            .end(JSON.stringify({ error: { code: 'rate_limited', message: 'Slow down', issues: [{ path: 'pages', message: 'many' }], requestId: 'req-1' } }));
        }
        if (pathname === '/api/preview') return response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: pathname }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix/`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('takes method and path from the route, fills and encodes path parameters, sends the query and JSON body', async () => {
    const answer = await callApi({ server: base, credentials: 'omit', headers: { 'x-csrf-token': 't' } }, 'POST /api/comments/{id}/like', {
      params: { id: 'a/b c' },
      body: { readerId: 'r'.repeat(16), liked: true },
      headers: { 'idempotency-key': 'k' },
    });
    assert.deepEqual(answer, { ok: '/api/comments/a%2Fb%20c/like' });
    assert.equal(seen.at(-1)!.url, '/prefix/api/comments/a%2Fb%20c/like');
    const request = seen.at(-1)!;
    assert.equal(request.method, 'POST');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['x-csrf-token'], 't');
    assert.equal(request.headers['idempotency-key'], 'k');
    assert.deepEqual(JSON.parse(request.body), { readerId: 'r'.repeat(16), liked: true });

    await callApi({ server: base, credentials: 'omit' }, 'GET /api/comments', { query: { page: '/a b', cursor: undefined } });
    assert.equal(seen.at(-1)!.url, '/prefix/api/comments?page=%2Fa+b');
    assert.equal(seen.at(-1)!.headers['content-type'], undefined, 'no body, no content type (no CORS preflight)');
  });

  it('resolves a 204 with undefined', async () => {
    assert.equal(await callApi({ server: base, credentials: 'same-origin' }, 'POST /api/admin/logout'), undefined);
  });

  it('turns an error answer into one ApiError with code, message, issues, Retry-After and request id', async () => {
    const error = await callApi({ server: base, credentials: 'omit' }, 'POST /api/counts', { body: { pages: ['/x'] } }).catch((e: unknown) => e);
    assert.ok(error instanceof ApiError);
    assert.deepEqual(
      { status: error.status, code: error.code, message: error.message, issues: error.issues, retryAfter: error.retryAfter, requestId: error.requestId },
      { status: 429, code: 'rate_limited', message: 'Slow down', issues: [{ path: 'pages', message: 'many' }], retryAfter: 7, requestId: 'req-1' },
    );
  });

  it('names the route when the answer is not the error JSON', async () => {
    const error = (await callApi({ server: base, credentials: 'omit' }, 'POST /api/preview', { body: { body: 'x' } }).catch((e: unknown) => e)) as ApiError;
    assert.deepEqual([error.status, error.code, error.message, error.issues, error.retryAfter], [502, 'http_error', 'POST /api/preview answered 502', [], 0]);
  });

  it('reports no answer as status 0 network_error, and rethrows an abort as it is', async () => {
    const dead = `http://127.0.0.1:1`;
    const error = (await callApi({ server: dead, credentials: 'omit' }, 'GET /api/admin/me').catch((e: unknown) => e)) as ApiError;
    assert.deepEqual([error instanceof ApiError, error.status, error.code], [true, 0, 'network_error']);
    const controller = new AbortController();
    controller.abort();
    const aborted = (await callApi({ server: base, credentials: 'omit' }, 'GET /api/admin/me', { signal: controller.signal }).catch((e: unknown) => e)) as Error;
    assert.equal(aborted.name, 'AbortError');
  });
});
