import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { AppError } from '../lib/errors.ts';
import { runCli } from '../cli.ts';
import { loadConfig } from '../config.ts';
import { findAdminByEmail } from '../store/admins.repository.ts';
import { openStore } from '../store/store.ts';
import { tempDir } from '../test/helpers.ts';
import { loadSitesFile, parseSitesConfig, SitesConfigError } from './config.ts';
import { SiteRegistry } from './registry.ts';

const temp = tempDir('parley-sites-');
after(() => temp.remove());

function writeJson(name: string, value: unknown): string {
  const file = path.join(temp.dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('sites file', () => {
  test('a minimal site gets every default', () => {
    const { sites } = parseSitesConfig({ sites: [{ id: 'news' }] }, 'x.json');
    assert.deepEqual(sites[0], {
      id: 'news',
      origins: ['*'],
      moderation: 'open',
      editWindowSeconds: 900,
      maxLinks: 3,
      blockedWords: [],
      rateLimits: { perIp: { max: 30, windowSeconds: 60 }, perAuthor: { max: 10, windowSeconds: 60 }, perPage: { max: 600, windowSeconds: 600 } },
      flagsToQueue: 3,
      honeypot: true,
      minFillSeconds: 3,
      duplicateWindowSeconds: 3600,
      webhooks: [],
      moderators: [],
      discovery: false,
    });
  });

  test('values are kept and origins normalised', () => {
    const { sites } = parseSitesConfig(
      {
        sites: [
          {
            id: 'blog',
            origins: ['https://Blog.Example/', 'http://localhost:5173'],
            moderation: 'first-time',
            rateLimits: { perIp: { max: 2, windowSeconds: 60 } },
            spamCheck: { akismet: { key: 'k', blog: 'https://blog.example/' } },
            webhooks: [{ url: 'https://hooks.example/parley', secret: 'a-long-enough-secret', events: ['comment.pending'] }],
          },
        ],
      },
      'x.json',
    );
    const site = sites[0]!;
    assert.deepEqual(site.origins, ['https://blog.example', 'http://localhost:5173']);
    assert.equal(site.moderation, 'first-time');
    assert.deepEqual(site.rateLimits.perIp, { max: 2, windowSeconds: 60 });
    assert.deepEqual(site.rateLimits.perPage, { max: 600, windowSeconds: 600 });
    assert.equal(site.spamCheck?.akismet?.endpoint, 'https://rest.akismet.com');
    assert.deepEqual(site.webhooks[0]?.events, ['comment.pending']);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['origin with a path', { sites: [{ id: 'a', origins: ['https://a.example', 'https://b.example/page'] }] }, /sites\.0\.origins\.1: Invalid URL/],
    ['origin not a URL', { sites: [{ id: 'a', origins: ['nope'] }] }, /sites\.0\.origins\.0: Invalid URL/],
    ['bad moderation mode', { sites: [{ id: 'a', moderation: 'sometimes' }] }, /sites\.0\.moderation/],
    ['negative maxLinks', { sites: [{ id: 'a', maxLinks: -1 }] }, /sites\.0\.maxLinks/],
    ['rate limit without max', { sites: [{ id: 'a', rateLimits: { perPage: { windowSeconds: 5 } } }] }, /sites\.0\.rateLimits\.perPage\.max/],
    ['unknown key', { sites: [{ id: 'a', moderaton: 'all' }] }, /sites\.0: Unrecognized key: "moderaton"/],
    ['short webhook secret', { sites: [{ id: 'a', webhooks: [{ url: 'https://h.example', secret: 'short' }] }] }, /sites\.0\.webhooks\.0\.secret/],
    ['duplicate ids', { sites: [{ id: 'a' }, { id: 'a' }] }, /sites\.1\.id: duplicate site id "a"/],
    ['no sites', { sites: [] }, /sites: /],
    ['bad site id', { sites: [{ id: '../x' }] }, /sites\.0\.id/],
  ];
  for (const [name, json, message] of invalid) {
    test(`rejects ${name}, naming the file and the key`, () => {
      assert.throws(() => parseSitesConfig(json, '/etc/parley.json'), (error: unknown) => {
        assert.ok(error instanceof SitesConfigError);
        assert.match(error.message, /^PARLEY_CONFIG \/etc\/parley\.json: /);
        assert.match(error.message, message);
        return true;
      });
    });
  }

  test('unreadable and non-JSON files say so', () => {
    assert.throws(() => loadSitesFile(path.join(temp.dir, 'missing.json')), /PARLEY_CONFIG .*missing\.json: cannot read file \(ENOENT\)/);
    assert.throws(() => loadSitesFile(writeJson('broken.json', '{ "sites": [')), /PARLEY_CONFIG .*broken\.json: not valid JSON/);
  });
});

describe('SiteRegistry', () => {
  test('without a file: every id gets the open default settings, any origin', () => {
    const registry = SiteRegistry.load(undefined);
    assert.equal(registry.strict, false);
    assert.deepEqual(registry.list().map((s) => s.id), ['default']);
    assert.equal(registry.get('news').id, 'news');
    assert.equal(registry.get('news').moderation, 'open');
    assert.equal(registry.allowsOrigin('news', 'https://anything.example'), true);
    assert.equal(registry.everyOriginEverywhere, true);
  });

  test('with a file: only its sites exist, each with its origins', () => {
    const registry = SiteRegistry.load(
      writeJson('two.json', { sites: [{ id: 'news', origins: ['https://news.example'] }, { id: 'open' }] }),
    );
    assert.equal(registry.strict, true);
    assert.throws(() => registry.get('other'), (error: unknown) => error instanceof AppError && error.status === 404 && error.code === 'site_not_found');
    assert.equal(registry.allowsOrigin('news', 'https://news.example'), true);
    assert.equal(registry.allowsOrigin('news', 'https://evil.example'), false);
    assert.equal(registry.allowsOrigin('open', 'https://evil.example'), true);
    assert.equal(registry.allowsOrigin('other', 'https://news.example'), false);
    assert.equal(registry.anyAllowsOrigin('https://evil.example'), true);
    assert.equal(registry.everyOriginEverywhere, false);
  });
});

describe('loadConfig: moderation variables', () => {
  test('present only when set, resolved against cwd', () => {
    const config = loadConfig(
      {
        PARLEY_CONFIG: 'sites.json',
        PARLEY_ADMIN_EMAIL: 'ops@news.example',
        PARLEY_ADMIN_PASSWORD: 'correct horse battery',
        PARLEY_SECURE_COOKIES: 'true',
        PARLEY_SMTP_URL: 'smtp://127.0.0.1:2525',
        PARLEY_PUBLIC_URL: 'https://comments.news.example/',
        PARLEY_REDIS_URL: 'redis://127.0.0.1:6379',
      },
      { cwd: '/srv' },
    );
    assert.equal(config.sitesFile, '/srv/sites.json');
    assert.deepEqual(config.bootstrapAdmin, { email: 'ops@news.example', password: 'correct horse battery' });
    assert.equal(config.secureCookies, true);
    assert.equal(config.smtpUrl, 'smtp://127.0.0.1:2525');
    assert.equal(config.publicUrl, 'https://comments.news.example');
    assert.equal(config.redisUrl, 'redis://127.0.0.1:6379');
    assert.equal('sitesFile' in loadConfig({}), false);
  });

  test('bad values name the key', () => {
    assert.throws(() => loadConfig({ PARLEY_ADMIN_EMAIL: 'x@y.example' }), /PARLEY_ADMIN_EMAIL needs PARLEY_ADMIN_PASSWORD/);
    assert.throws(() => loadConfig({ PARLEY_SMTP_URL: 'http://mail' }), /PARLEY_SMTP_URL/);
    assert.throws(() => loadConfig({ PARLEY_SECURE_COOKIES: 'yes' }), /PARLEY_SECURE_COOKIES/);
  });
});

describe('CLI: sites and admin', () => {
  const lines = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: (env: Record<string, string> = {}, stdin = '') => ({ env, out: (l: string) => out.push(l), err: (l: string) => err.push(l), readStdin: async () => stdin }) };
  };

  test('sites check accepts a good file and names the bad key of a bad one', async () => {
    const good = writeJson('good.json', { sites: [{ id: 'news' }, { id: 'blog' }] });
    const bad = writeJson('bad.json', { sites: [{ id: 'news', origins: ['https://ok.example', 'ftp://x'] }] });
    const a = lines();
    assert.equal(await runCli(['sites', 'check', good], a.io()), 0);
    assert.deepEqual(a.out, ['OK: 2 site(s): news, blog']);
    const b = lines();
    assert.equal(await runCli(['sites', 'check', bad], b.io()), 1);
    assert.match(b.err.join('\n'), /bad\.json: sites\.0\.origins\.1: Invalid URL/);
    assert.doesNotMatch(b.err.join('\n'), /PARLEY_CONFIG/, 'the file is an argument, not PARLEY_CONFIG');
  });

  test('the shipped example file is valid', async () => {
    const a = lines();
    assert.equal(await runCli(['sites', 'check', fileURLToPath(new URL('../../sites.example.json', import.meta.url))], a.io()), 0, a.err.join('\n'));
    assert.deepEqual(a.out, ['OK: 2 site(s): news, default']);
  });

  test('sites list reads PARLEY_CONFIG', async () => {
    const file = writeJson('list.json', { sites: [{ id: 'news', origins: ['https://news.example'], moderation: 'all' }] });
    const a = lines();
    assert.equal(await runCli(['sites', 'list'], a.io({ PARLEY_CONFIG: file })), 0);
    assert.deepEqual(a.out, ['news\tmoderation=all\torigins=https://news.example\twebhooks=0']);
  });

  test('admin create makes an admin from stdin, and again updates the password', async () => {
    const databaseUrl = `file:${path.join(temp.dir, 'admins.sqlite')}`;
    const a = lines();
    assert.equal(await runCli(['admin', 'create', '--email', 'Ops@News.example', '--password-stdin'], a.io({ DATABASE_URL: databaseUrl }, 'a long password 1\n')), 0, a.err.join('\n'));
    assert.deepEqual(a.out, ['Created admin ops@news.example (owner)']);
    const store = openStore(databaseUrl);
    const before = await findAdminByEmail(store.db, 'ops@news.example');
    assert.match(before?.password_hash ?? '', /^scrypt\$15\$8\$1\$/);
    assert.ok(!before?.password_hash.includes('a long password'));

    const b = lines();
    assert.equal(await runCli(['admin', 'create', '--email', 'ops@news.example'], b.io({ DATABASE_URL: databaseUrl, PARLEY_ADMIN_PASSWORD: 'another long password' })), 0);
    assert.match(b.out[0]!, /Updated the password of ops@news\.example/);
    const afterRow = await findAdminByEmail(store.db, 'ops@news.example');
    assert.notEqual(afterRow?.password_hash, before?.password_hash);
    await store.close();

    const c = lines();
    assert.equal(await runCli(['admin', 'create', '--email', 'x@y.example', '--password-stdin'], c.io({ DATABASE_URL: databaseUrl }, 'short\n')), 1);
    assert.match(c.err.join('\n'), /at least 12 characters/);
  });

  test('the CLI in a process of its own validates a sites file', async () => {
    const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
    const bad = writeJson('bin-bad.json', { sites: [{ id: 'x', flagsToQueue: 0 }] });
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'sites', 'check', bad], { env: { ...process.env, NO_COLOR: '1' } }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /sites\.0\.flagsToQueue/);
  });
});
