import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { ErrorBodySchema } from '@parley/schema';
import { createApp } from '../app.ts';
import { DEFAULT_CONSOLE_DIR, loadConfig } from '../config.ts';
import { openStore, type Store } from '../store/store.ts';
import { tempDir } from '../test/helpers.ts';
import { CONSOLE_CSP } from './console.ts';

const INDEX = '<!doctype html><html lang="en"><head><title>Parley console</title><script type="module" src="/admin/assets/index-abc123.js"></script></head><body><parley-console></parley-console></body></html>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

describe('GET /admin: the console', () => {
  const temp = tempDir('parley-console-');
  const consoleDir = path.join(temp.dir, 'dist');
  let store: Store;
  let app: ReturnType<typeof createApp>;

  before(async () => {
    mkdirSync(path.join(consoleDir, 'assets'), { recursive: true });
    writeFileSync(path.join(consoleDir, 'index.html'), INDEX);
    writeFileSync(path.join(consoleDir, 'assets', 'index-abc123.js'), SCRIPT);
    writeFileSync(path.join(consoleDir, 'assets', 'index-def456.css'), 'body{margin:0}');
    writeFileSync(path.join(temp.dir, 'secret.txt'), 'not for the web');
    store = openStore(`file:${path.join(temp.dir, 'parley.sqlite')}`);
    await store.migrate();
    app = createApp({ store, config: { adminToken: undefined, embedFile: '/nonexistent', consoleDir }, logError: () => {} });
  });
  after(async () => {
    await store?.close();
    temp.remove();
  });

  for (const url of ['/admin', '/admin/', '/admin/pending', '/admin/stats', '/admin/some/deep/route?x=1']) {
    test(`${url} answers index.html with the console's CSP, revalidated every time`, async () => {
      const response = await app.request(`http://parley.local${url}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(response.headers.get('content-security-policy'), CONSOLE_CSP);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(await response.text(), INDEX);
    });
  }

  test('the CSP is exactly the one the console was built for', () => {
    assert.equal(CONSOLE_CSP, "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
  });

  test('assets are long-cached, typed, compressed on request, and revalidate with their ETag', async () => {
    const response = await app.request('http://parley.local/admin/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(response.headers.get('content-encoding'), 'gzip');
    assert.equal(response.headers.get('content-security-policy'), CONSOLE_CSP);
    assert.equal(gunzipSync(Buffer.from(await response.arrayBuffer())).toString(), SCRIPT);
    const etag = response.headers.get('etag');
    assert.ok(etag);
    const again = await app.request('http://parley.local/admin/assets/index-abc123.js', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);

    const css = await app.request('http://parley.local/admin/assets/index-def456.css');
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(await css.text(), 'body{margin:0}');
  });

  test('a missing asset is a JSON 404, never index.html, and is not cached', async () => {
    const response = await app.request('http://parley.local/admin/assets/index-gone.js');
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(ErrorBodySchema.parse(await response.json()).error.code, 'not_found');
  });

  test('paths cannot leave the assets folder', async () => {
    for (const name of ['..%2Fsecret.txt', '..%2F..%2Fsecret.txt', '.hidden', '%2E%2E%2Findex.html']) {
      const response = await app.request(`http://parley.local/admin/assets/${name}`);
      assert.equal(response.status, 404, name);
      assert.doesNotMatch(await response.text(), /not for the web/);
    }
  });

  test('a rebuild is picked up without a restart', async () => {
    const file = path.join(consoleDir, 'index.html');
    writeFileSync(file, INDEX.replace('Parley console', 'Parley console v2'));
    try {
      assert.match(await (await app.request('http://parley.local/admin')).text(), /Parley console v2/);
    } finally {
      writeFileSync(file, INDEX);
    }
  });

  test('without a build the console answers 503 naming the fix', async () => {
    const missing = createApp({ store, config: { adminToken: undefined, embedFile: '/nonexistent', consoleDir: path.join(temp.dir, 'nothing') }, logError: () => {} });
    const response = await missing.request('http://parley.local/admin/pending');
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('content-security-policy'), CONSOLE_CSP);
    assert.match(ErrorBodySchema.parse(await response.json()).error.message, /pnpm build|PARLEY_CONSOLE_DIR/);
  });

  test('other paths beginning with "admin" are not the console', async () => {
    const response = await app.request('http://parley.local/administrator');
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('content-security-policy'), null);
  });
});

describe('PARLEY_CONSOLE_DIR', () => {
  test('is resolved against the working directory, and absent when unset (the app uses the built console)', () => {
    assert.equal(loadConfig({ PARLEY_CONSOLE_DIR: 'build/console' }, { cwd: '/srv' }).consoleDir, '/srv/build/console');
    assert.equal('consoleDir' in loadConfig({}, { cwd: '/srv' }), false);
    assert.match(DEFAULT_CONSOLE_DIR, /console[/\\]dist[/\\]?$/);
  });
});

