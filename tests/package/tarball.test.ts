/**
 * Parley as users get it: every package packed (`pnpm pack`), the tarballs installed with npm
 * into an empty folder outside the workspace, `parley` started from there (compiled JavaScript,
 * no tsx, SQLite default) and a Vite page built against `@parley/widgets` rendering a thread in
 * Chromium. Prints the installed size of @parley/server and its cold start.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchChromium } from '../support/browser.ts';
import { ROOT, packAll, packagesWithInstallScripts, provideSqliteAddon, run, serverClosure, sizeOf } from './install.ts';

const MB = 1024 * 1024;
/** The goal for @parley/server and its dependencies, without the addon's build folder. */
const SIZE_GOAL_BYTES = 15 * MB;

describe('the packed packages, installed with npm outside the workspace', () => {
  const temp = mkdtempSync(path.join(tmpdir(), 'parley-tarballs-'));
  const project = path.join(temp, 'site');
  let server: ChildProcess | undefined;
  let serverUrl = '';
  let coldStartMs = 0;

  before(async () => {
    assert.ok(!temp.startsWith(ROOT), 'the install folder is outside the workspace');
    const tarballs = await packAll(mkdirTemp(temp, 'tarballs'));
    assert.deepEqual(tarballs.map((file) => path.basename(file)).sort(), ['parley-schema-0.1.0.tgz', 'parley-server-0.1.0.tgz', 'parley-widgets-0.1.0.tgz']);
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'a-site', private: true, type: 'module' }));
    // Install scripts are checked below, and the one native addon provided afterwards.
    await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], { cwd: project });
    console.log(`better-sqlite3 addon: ${await provideSqliteAddon(project)}`);

    const started = performance.now();
    // INIT_CWD and the like come from whatever ran this test; a user's shell has none of them.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(INIT_CWD|DATABASE_URL|PORT|HOST|PARLEY_.*|npm_.*)$/.test(key)));
    server = spawn(path.join(project, 'node_modules/.bin/parley'), ['serve', '--port', '0'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    serverUrl = await new Promise<string>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Parley listening on (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]!);
      };
      server!.stdout!.on('data', onData);
      server!.stderr!.on('data', onData);
      server!.once('exit', (code) => reject(new Error(`parley serve exited ${code}:\n${output}`)));
    });
    coldStartMs = performance.now() - started;
  });

  after(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(temp, { recursive: true, force: true });
  });

  it('needs nothing compiled at install but the SQLite addon, and is small', () => {
    assert.deepEqual(packagesWithInstallScripts(path.join(project, 'node_modules')), ['better-sqlite3']);
    const installed = readFileSync(path.join(project, 'node_modules/@parley/server/bin/parley.mjs'), 'utf8');
    assert.doesNotMatch(installed, /tsx/, 'the bin runs compiled JavaScript');
    assert.ok(!existsSync(path.join(project, 'node_modules/tsx')), 'tsx is not installed');
    const folders = serverClosure(project);
    const bytes = folders.reduce((sum, folder) => sum + sizeOf(folder, (file) => file.includes(`${path.sep}better-sqlite3${path.sep}build${path.sep}`)), 0);
    const own = sizeOf(path.join(project, 'node_modules/@parley/server'));
    console.log(`@parley/server installed: ${(bytes / MB).toFixed(1)} MB in ${folders.length} packages (its own files ${(own / MB).toFixed(1)} MB; better-sqlite3's build/ not counted); cold start to listening: ${Math.round(coldStartMs)} ms`);
    assert.ok(bytes < SIZE_GOAL_BYTES, `${(bytes / MB).toFixed(1)} MB is over the ${SIZE_GOAL_BYTES / MB} MB goal`);
  });

  it('`parley --version` prints the packed version', async () => {
    const version = (await run(path.join(project, 'node_modules/.bin/parley'), ['--version'], { cwd: project })).trim();
    assert.equal(version, JSON.parse(readFileSync(path.join(ROOT, 'packages/server/package.json'), 'utf8')).version);
  });

  it('serves /healthz, /embed.js and /admin from the package, and keeps its SQLite file in ./data', async () => {
    assert.equal((await fetch(`${serverUrl}/healthz`)).status, 200);
    const embed = await fetch(`${serverUrl}/embed.js`);
    assert.equal(embed.status, 200);
    assert.match(embed.headers.get('content-type') ?? '', /javascript/);
    assert.ok((await embed.text()).length > 10_000);
    const admin = await fetch(`${serverUrl}/admin`);
    assert.equal(admin.status, 200);
    assert.match(await admin.text(), /<script type="module"[^>]*src="\/admin\/assets\//);
    assert.ok(existsSync(path.join(project, 'data/parley.sqlite')));
    const api = (await (await fetch(`${serverUrl}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(api.openapi, '3.1.0');
    assert.ok(Object.keys(api.paths).length > 40, 'the bundle documents its routes (validators keep their schemas)');
  });

  it('takes a comment and reads it back', async () => {
    const posted = await fetch(`${serverUrl}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ page: '/tarball', author: { name: 'Tess' }, body: 'Hello from the tarball', fillMs: 10_000 }),
    });
    assert.equal(posted.status, 201, await posted.clone().text());
    const thread = (await (await fetch(`${serverUrl}/api/comments?page=/tarball`)).json()) as { total: number; comments: Array<{ html: string }> };
    assert.equal(thread.total, 1);
    assert.match(thread.comments[0]!.html, /Hello from the tarball/);
  });

  it("gives a site's own Node code the render client (@parley/server/render-client): the thread as HTML", async () => {
    writeFileSync(path.join(project, 'render.mjs'), [
      "import { createRenderClient } from '@parley/server/render-client';",
      'const parley = createRenderClient({ server: process.argv[2] });',
      "process.stdout.write(await parley.comments('/tarball'));",
    ].join('\n'));
    const html = await run(process.execPath, ['render.mjs', serverUrl], { cwd: project });
    assert.match(html, /^<parley-comments data-parley-ssr site="default" page="\/tarball"/);
    assert.match(html, /Hello from the tarball/);
  });

  it('is a typed ES module package: a TypeScript consumer type-checks against the tarball', async () => {
    const consumer = path.join(project, 'typed');
    mkdirSync(consumer);
    writeFileSync(path.join(consumer, 'main.ts'), [
      "import '@parley/widgets/define';",
      "import { ParleyComments } from '@parley/widgets/comments';",
      "import { ApiError } from '@parley/widgets';",
      "import { callApi } from '@parley/schema/client';",
      "import { createRenderClient } from '@parley/server/render-client';",
      "import type {} from '@parley/widgets/react';",
      "import manifest from '@parley/widgets/custom-elements.json' with { type: 'json' };",
      "const thread: ParleyComments = document.createElement('parley-comments');",
      "thread.page = '/typed';",
      "const count = document.createElement('parley-count');",
      "count.site = 'news';",
      '// @ts-expect-error the attribute types reach the consumer (tsc fails on an unused expectation if they were `any`)',
      'thread.maxDepth = "deep";',
      "const counts = callApi({ server: 'https://c.example', credentials: 'omit' }, 'POST /api/counts', { body: { pages: ['/typed'] } }).then((answer) => answer.counts);",
      '// @ts-expect-error the API contract\'s types reach the consumer: a body of the wrong shape fails',
      "void callApi({ server: '', credentials: 'omit' }, 'POST /api/counts', { body: { pages: '/typed' } });",
      "const fragment: Promise<string> = createRenderClient({ server: 'https://c.example', site: 'news' }).comments('/typed', { sort: 'newest' });",
      '// @ts-expect-error the render client ships its types: an unknown sort fails',
      "void createRenderClient({ server: 'https://c.example' }).comments('/typed', { sort: 'loudest' });",
      'export const checks = [thread, count, ApiError, manifest.schemaVersion, counts, fragment];',
      '',
    ].join('\n'));
    writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, lib: ['ES2023', 'DOM'], types: [], skipLibCheck: true, resolveJsonModule: true },
      include: ['main.ts'],
    }));
    // React's types are not installed here: the react entry must not break a project without them.
    await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', consumer], { cwd: consumer });
  });

  it('works in a page Vite bundles from the tarball, rendering a thread in Chromium', async () => {
    const page = path.join(project, 'page');
    mkdirSync(page);
    writeFileSync(path.join(page, 'main.js'), "import '@parley/widgets/define';\n");
    writeFileSync(path.join(page, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tarball page</title>
<script type="module" src="./main.js"></script></head>
<body><parley-comments server="${serverUrl}" page="/tarball" loading="eager" no-live></parley-comments></body></html>`);
    const { build } = await import('vite');
    await build({ root: page, configFile: false, logLevel: 'silent', build: { outDir: path.join(page, 'dist') } });
    const built = readFileSync(path.join(page, 'dist/index.html'), 'utf8');
    assert.doesNotMatch(built, /embed\.js/, 'the page bundles the widgets instead of loading the server\'s embed.js');

    const site = await serveFolder(path.join(page, 'dist'));
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (error) => errors.push(error.message));
      await tab.goto(site.url);
      await tab.locator('parley-comments').getByText('Hello from the tarball').waitFor({ timeout: 20_000 });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await new Promise((resolve) => site.server.close(resolve));
    }
  });
});

function mkdirTemp(parent: string, name: string): string {
  const dir = path.join(parent, name);
  mkdirSync(dir);
  return dir;
}

/** A static file server for the built page (another origin than Parley, as on a real site). */
async function serveFolder(dir: string): Promise<{ server: Server; url: string }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((request, response) => {
    const file = path.join(dir, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).replace(/\/$/, '/index.html'));
    if (!file.startsWith(dir) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
