import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { runCli, type CliIo } from './cli.ts';
import { COMMANDS } from './cli/commands.ts';
import { listArticles } from './store/articles.repository.ts';
import { openStore } from './store/store.ts';
import { tempDir } from './test/helpers.ts';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const RSS_TEXT = `<?xml version="1.0"?><rss version="2.0"><channel><title>Riverside</title>
<item><title>Ferry times change</title><link>https://riverside.example/ferry.html</link></item>
<item><title>Bridge reopens</title><link>https://riverside.example/bridge.html</link></item>
</channel></rss>`;

/** Runs the CLI's sources in a process of its own and never throws: the exit code is part of what we test. */
async function parley(args: string[], env: Record<string, string>) {
  try {
    const { INIT_CWD: _ignored, ...parent } = process.env;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...parent, ...env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('parley CLI', () => {
  const temp = tempDir();
  const databaseUrl = `file:${path.join(temp.dir, 'cli.sqlite')}`;
  after(() => temp.remove());

  test('import-articles upserts a file into the database', async () => {
    const file = path.join(temp.dir, 'articles.json');
    writeFileSync(file, JSON.stringify([
      { url: 'https://blog.example/posts/one?x=1', title: 'One', tags: ['a'] },
      { url: '/posts/two', title: 'Two', publishedAt: '2026-05-01T00:00:00Z' },
    ]));
    const result = await parley(['import-articles', file, '--site', 'blog'], { DATABASE_URL: databaseUrl });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /"blog": 2 inserted, 0 updated/);

    const store = openStore(databaseUrl);
    try {
      const rows = await listArticles(store.db, 'blog');
      assert.deepEqual(rows.map((r) => [r.page_key, r.title]), [['/posts/two', 'Two'], ['/posts/one', 'One']]);
    } finally {
      await store.close();
    }
  });

  test('a bad file names the item and field and exits 1, writing nothing', async () => {
    const file = path.join(temp.dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ site: 'bad', articles: [{ url: '/ok', title: 'Fine' }, { url: '/x', title: '' }] }));
    const result = await parley(['import-articles', file], { DATABASE_URL: databaseUrl });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /articles\.1\.title/);
    const store = openStore(databaseUrl);
    try {
      assert.equal((await listArticles(store.db, 'bad')).length, 0);
    } finally {
      await store.close();
    }
  });

  test('migrate and usage errors', async () => {
    const fresh = `file:${path.join(temp.dir, 'fresh.sqlite')}`;
    const migrated = await parley(['migrate'], { DATABASE_URL: fresh });
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, /0001_initial/);
    const unknown = await parley(['frobnicate'], { DATABASE_URL: fresh });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Unknown command "frobnicate"/);
  });
});

/** runCli in this process, its output captured. */
async function run(args: string[], env: Record<string, string | undefined>, cwd?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, out: (line) => out.push(line), err: (line) => err.push(line), ...(cwd ? { cwd } : {}) };
  const code = await runCli(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('parley CLI arguments', () => {
  const temp = tempDir();
  const RSS = path.join(temp.dir, 'riverside.xml');
  writeFileSync(RSS, RSS_TEXT);
  after(() => temp.remove());

  test('options after the `--` that pnpm passes through are options, not files', async () => {
    const databaseUrl = `file:${path.join(temp.dir, 'dashes.sqlite')}`;
    const result = await parley(['--', 'import', RSS, '--site', 'riverside'], { DATABASE_URL: databaseUrl });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Imported into site "riverside": \d+ inserted/);
    const store = openStore(databaseUrl);
    try {
      assert.ok((await listArticles(store.db, 'riverside')).length > 0);
      assert.equal((await listArticles(store.db, 'default')).length, 0);
    } finally {
      await store.close();
    }
  });

  test('`-- --help` and `help import` print usage and exit 0; --version prints the package version', async () => {
    const help = await run(['--', '--help'], {});
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Usage: parley <command>/);
    const topic = await run(['help', 'import'], {});
    assert.equal(topic.code, 0);
    assert.match(topic.stdout, /Usage: parley import \[options\] <sources\.\.\.>/);
    const version = await run(['--', '--version'], {});
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(version.stdout, manifest.version);
  });

  test('every registered command loads and answers --help', async () => {
    for (const name of Object.keys(COMMANDS)) {
      const result = await run([name, '--help'], {});
      assert.equal(result.code, 0, `${name}: ${result.stderr}`);
      assert.match(result.stdout, new RegExp(`Usage: parley ${name}`));
    }
  });

  test('relative paths, the default database included, resolve against the caller\'s folder (INIT_CWD under pnpm)', async () => {
    const caller = path.join(temp.dir, 'caller');
    mkdirSync(caller);
    writeFileSync(path.join(caller, 'feed.xml'), readFileSync(RSS));
    const result = await run(['import', 'feed.xml', '--site', 'here'], { INIT_CWD: caller });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(path.join(caller, 'data', 'parley.sqlite')), 'the default database is in the caller\'s folder');
  });

  test('a failed run leaves no database behind', async () => {
    const folder = path.join(temp.dir, 'failed');
    mkdirSync(folder);
    const missing = await run(['import', 'no-such-feed.xml', '--site', 'x'], { INIT_CWD: folder });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no-such-feed\.xml/);
    const missingJson = await run(['import-articles', 'nope.json'], { INIT_CWD: folder });
    assert.equal(missingJson.code, 1);
    const usage = await run(['import', '--site'], { INIT_CWD: folder });
    assert.equal(usage.code, 1);
    assert.ok(!existsSync(path.join(folder, 'data')), 'no data/ folder and no parley.sqlite were created');
  });
});

describe('parley config check', () => {
  const temp = tempDir();
  after(() => temp.remove());

  test('prints the effective configuration with secrets masked, and exits 0 when all is well', async () => {
    const result = await run(['config', 'check'], { DATABASE_URL: `file:${path.join(temp.dir, 'ok.sqlite')}`, PARLEY_ADMIN_TOKEN: 'do-not-print-me', PARLEY_SMTP_URL: 'smtp://mailer:hunter22@mail.example:587', PARLEY_PUBLIC_URL: 'https://comments.example', PARLEY_CONSOLE_DIR: temp.dir, PARLEY_EMBED_FILE: CLI });
    assert.match(result.stdout, /adminToken\s+\*\*\* \(set\)/);
    assert.match(result.stdout, /smtpUrl\s+smtp:\/\/mailer:\*\*\*@mail\.example:587/);
    assert.ok(!result.stdout.includes('do-not-print-me') && !result.stdout.includes('hunter22'));
    // The console folder has no index.html: the one problem.
    assert.match(result.stderr, /^1 problem:\n {2}- the console is missing/);
    assert.equal(result.code, 1);
  });

  test('names every problem at once', async () => {
    const result = await run(['config', 'check'], { PORT: '99999', PARLEY_SMTP_URL: 'http://mail', PARLEY_ADMIN_EMAIL: 'ops@example.org', PARLEY_RELATED: '{not json', DATABASE_URL: `file:${path.join(temp.dir, 'x.sqlite')}` });
    assert.equal(result.stdout.match(/^adminToken /gm)?.length, 1, 'an unset secret is listed once');
    assert.equal(result.code, 1);
    for (const key of ['PORT', 'PARLEY_SMTP_URL', 'PARLEY_ADMIN_EMAIL needs PARLEY_ADMIN_PASSWORD', 'PARLEY_RELATED']) assert.ok(result.stderr.includes(key), `${key} in:\n${result.stderr}`);
    assert.ok(!existsSync(path.join(temp.dir, 'x.sqlite')), 'checking creates no database');
  });
});
