/**
 * deploy/nginx/parley.conf in front of a real Parley: Debian's nginx on a loopback port (run with
 * -c on a config in a temp folder, `daemon off`), the server as a child process. Checks what the
 * config is for: the client address Parley sees, live updates passing unbuffered, JSON
 * compressed, hashed files cached for long, /embed.js revalidated.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../packages/server/testing/test-server.mjs';
import { ERROR_CODES } from '@parley/schema';
import { writeDisqusExport } from '../bench/support/disqus-generator.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

/** Starts a child and resolves when `ready` matches its output; keeps every line. */
function startChild(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }, ready: RegExp) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const started = new Promise<RegExpExecArray>((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      lines.push(...parts);
      const match = ready.exec(lines.join('\n'));
      if (match) resolve(match);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} exited ${code}:\n${lines.join('\n')}${buffer}`)));
  });
  return { child, lines, started };
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('deploy/nginx/parley.conf', { skip: !existsSync(NGINX) && process.env.CI !== 'true' ? `no nginx at ${NGINX}: apt-get install nginx-light` : false }, () => {
  const temp = mkdtempSync(path.join(tmpdir(), 'parley-nginx-'));
  // Run as root, nginx's workers are `nobody`: they must pass through this folder (0700 from
  // mkdtemp) to the temp folders nginx hands them at start, or every body over the in-memory buffer
  // (8–16 KB) or large response fails with 500. Passing through, not listing: 0711.
  chmodSync(temp, 0o711);
  const adminToken = 'nginx-test-admin-token';
  let parley: ReturnType<typeof startChild> | undefined;
  let nginx: ChildProcess | undefined;
  let proxy = '';

  before(async () => {
    // A stand-in bundle with a hashed language chunk beside it, as the widgets build writes them.
    const assets = path.join(temp, 'widgets');
    mkdirSync(path.join(assets, 'i18n'), { recursive: true });
    writeFileSync(path.join(assets, 'embed.js'), `console.log(${JSON.stringify('parley '.repeat(500))});\n`);
    writeFileSync(path.join(assets, 'i18n', 'de-Ab12Cd34.js'), 'export default {};\n');
    parley = startChild(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: path.join(ROOT, 'packages/server'),
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `file:${path.join(temp, 'parley.sqlite')}`, PARLEY_EMBED_FILE: path.join(assets, 'embed.js'), PARLEY_TRUST_PROXY: 'true', PARLEY_LOG_LEVEL: 'debug', PARLEY_SECRET: 'nginx-test', PARLEY_ADMIN_TOKEN: adminToken },
    }, /Parley listening on http:\/\/127\.0\.0\.1:(\d+)/);
    const upstreamPort = (await parley.started)[1]!;

    const port = await freePort();
    const site = readFileSync(path.join(ROOT, 'deploy/nginx/parley.conf'), 'utf8')
      .replace('server 127.0.0.1:8787;', `server 127.0.0.1:${upstreamPort};`)
      .replace('listen 80;', `listen 127.0.0.1:${port};`);
    assert.notEqual(site, readFileSync(path.join(ROOT, 'deploy/nginx/parley.conf'), 'utf8'));
    for (const dir of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(temp, dir));
    writeFileSync(path.join(temp, 'nginx.conf'), `daemon off;
worker_processes 1;
pid ${temp}/nginx.pid;
error_log stderr warn;
events { worker_connections 128; }
http {
  access_log off;
  client_body_temp_path ${temp}/client_body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  types { application/json json; text/javascript js; }
${site}
}
`);
    nginx = spawn(NGINX, ['-p', temp, '-c', path.join(temp, 'nginx.conf'), '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'pipe'] });
    proxy = `http://127.0.0.1:${port}`;
    // Ready when it answers (state, not time): retry until the listening socket accepts.
    for (let tries = 0; ; tries += 1) {
      const answered = await fetch(`${proxy}/healthz`).then((r) => r.status, () => 0);
      if (answered === 200) break;
      if (nginx.exitCode !== null || tries > 200) throw new Error('nginx did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  after(async () => {
    await stop(nginx);
    await stop(parley?.child);
    rmSync(temp, { recursive: true, force: true });
  });

  it('hands Parley the client\'s own address, never a forged X-Forwarded-For', async () => {
    const response = await fetch(`${proxy}/api/comments?page=%2Fproxy`, { headers: { 'x-forwarded-for': '203.0.113.9', 'x-request-id': 'through-nginx-1' } });
    assert.equal(response.status, 200);
    // nginx's own $request_id replaces the client's, and comes back in the header.
    const id = response.headers.get('x-request-id');
    assert.match(id ?? '', /^[0-9a-f]{32}$/);
    // The log line reaches this process through a pipe, after the response: wait for it (a deadline, not a pause).
    const logged = () => parley!.lines.map((l) => { try { return JSON.parse(l) as Record<string, unknown>; } catch { return undefined; } }).find((entry) => entry?.reqId === id);
    const deadline = Date.now() + 10_000;
    while (!logged() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const line = logged();
    assert.ok(line, 'Parley logged the request under nginx\'s id');
    assert.equal(line.ip, '127.0.0.0', 'the address nginx saw (cut to its network), not the forged one');
  });

  it('passes live updates through unbuffered', { timeout: 20_000 }, async () => {
    const events: string[] = [];
    let gotConnected!: () => void;
    let gotComment!: () => void;
    const connected = new Promise<void>((resolve) => (gotConnected = resolve));
    const commented = new Promise<void>((resolve) => (gotComment = resolve));
    const stream = request(`${proxy}/api/stream?page=%2Flive`, { headers: { accept: 'text/event-stream' } }, (response) => {
      assert.equal(response.headers['content-type']?.startsWith('text/event-stream'), true);
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        events.push(chunk);
        if (events.join('').includes(': connected')) gotConnected();
        if (events.join('').includes('event: comment')) gotComment();
      });
    });
    stream.end();
    try {
      // A few bytes, then nothing: a buffering proxy would hold them (and the test would time out).
      await connected;
      const posted = await fetch(`${proxy}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ page: '/live', body: 'Through the proxy', fillMs: 10_000 }) });
      assert.equal(posted.status, 201);
      await commented;
      assert.match(events.join(''), /Through the proxy/);
    } finally {
      stream.destroy();
    }
  });

  it('compresses JSON, keeps hashed files for long and revalidates /embed.js', async () => {
    const document = await fetch(`${proxy}/api/openapi.json`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(document.status, 200);
    assert.equal(document.headers.get('content-encoding'), 'gzip');
    const chunk = await fetch(`${proxy}/i18n/de-Ab12Cd34.js`);
    assert.equal(chunk.status, 200);
    assert.equal(chunk.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const embed = await fetch(`${proxy}/embed.js`);
    assert.equal(embed.headers.get('cache-control'), 'public, no-cache');
    const etag = embed.headers.get('etag');
    assert.ok(etag);
    assert.equal((await fetch(`${proxy}/embed.js`, { headers: { 'if-none-match': etag } })).status, 304);
  });

  it('keeps /metrics to the local network', async () => {
    // The test connects from 127.0.0.1, which the config allows: it reaches Parley (off: 404).
    assert.equal((await fetch(`${proxy}/metrics`)).status, 404);
  });

  // Bodies larger than nginx's in-memory buffer go through its temp folder: they must reach Parley.
  it('passes bodies over nginx\'s buffer to Parley: its 400 for a too-long preview, 201 for an 18 KB comment', async () => {
    const preview = await fetch(`${proxy}/api/preview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: 'x'.repeat(15_000) }) });
    assert.equal(preview.status, 400, await preview.clone().text());
    assert.equal(((await preview.json()) as ErrorJson).error.code, 'validation_failed');
    const cyrillic = 'ж'.repeat(9_000); // 18,000 bytes of UTF-8, under the 10,000-character limit
    const posted = await fetch(`${proxy}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ page: '/big', body: cyrillic, fillMs: 10_000 }) });
    assert.equal(posted.status, 201, await posted.clone().text());
  });

  it('refuses a public body over 64 KiB itself, with 413 in Parley\'s error shape', async () => {
    const response = await fetch(`${proxy}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ page: '/big', body: 'x'.repeat(70_000) }) });
    assert.equal(response.status, 413);
    // nginx answered, not Parley (Parley echoes X-Request-Id on every answer).
    assert.equal(response.headers.get('x-request-id'), null);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assertErrorShape(await response.json(), 'payload_too_large');
  });

  it('takes article batches up to 16 MiB (PUT /api/articles)', async () => {
    const articles = Array.from({ length: 12 }, (_, i) => ({ url: `https://example.org/big-${i}`, title: `Big ${i}`, body: `word${i} `.repeat(25_000) }));
    const body = JSON.stringify({ site: 'default', articles });
    assert.ok(body.length > 1_000_000);
    const response = await fetch(`${proxy}/api/articles`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body });
    assert.equal(response.status, 200, await response.clone().text());
  });

  it('streams a comments export over 17 MiB to POST /api/admin/import', { timeout: 120_000 }, async () => {
    const file = path.join(temp, 'disqus.xml');
    const generated = await writeDisqusExport(file, 18 * 1024 * 1024);
    assert.ok(generated.bytes > 17 * 1024 * 1024);
    const response = await fetch(`${proxy}/api/admin/import?site=default&dryRun=1`, { method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${adminToken}` }, body: readFileSync(file) });
    assert.equal(response.status, 200, await response.clone().text());
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as { type: string; failed?: boolean });
    const report = lines.at(-1)!;
    assert.equal(report.type, 'report');
    assert.equal(report.failed, false, JSON.stringify(report).slice(0, 2000));
  });

  // Last: it stops Parley.
  it('answers 502 in Parley\'s error shape when Parley is down', async () => {
    await stop(parley?.child);
    const response = await fetch(`${proxy}/api/comments?page=%2Fdown`);
    assert.equal(response.status, 502);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assertErrorShape(await response.json(), 'internal_error');
  });
});

interface ErrorJson { error: { code: string; message: string; requestId?: string } }

/** The shape Parley's clients parse: `{ error: { code, message } }` with a code they know. */
function assertErrorShape(json: unknown, code: string): void {
  const { error } = json as ErrorJson;
  assert.equal(error.code, code);
  assert.ok((ERROR_CODES as readonly string[]).includes(error.code));
  assert.equal(typeof error.message, 'string');
  assert.match(error.requestId ?? '', /^[0-9a-f]{32}$/, 'nginx\'s request id, as in its log and X-Request-Id');
}
