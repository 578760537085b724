import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { Writable } from 'node:stream';
import { runCli, type CliIo } from '../cli.ts';
import { runExport } from './export.ts';
import { openStore } from '../store/store.ts';
import { tempDir } from '../test/helpers.ts';

const fixture = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrate', 'fixtures', name);

function capture(env: Record<string, string>): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { env, stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
}

describe('parley import-comments / export', () => {
  const temp = tempDir();
  const env = { DATABASE_URL: `file:${path.join(temp.dir, 'cli.sqlite')}`, PARLEY_SECRET: 'cli-secret' };
  after(() => temp.remove());

  const count = async (site: string) => {
    const store = openStore(env.DATABASE_URL);
    try {
      await store.migrate(); // a dry run leaves no database behind
      return (await store.db.selectFrom('comments').select('id').where('site', '=', site).execute()).length;
    } finally {
      await store.close();
    }
  };

  test('a clean import exits 0 and prints counts per status and page; a dry run writes nothing', async () => {
    const dry = capture(env);
    assert.equal(await runCli(['import-comments', fixture('commento.json'), '--site', 'c', '--format', 'commento', '--dry-run'], dry), 1, 'c4 has no date');
    assert.ok(dry.stdout.some((l) => l.startsWith('Would import 3 comment(s) into site "c"')), dry.stdout.join('\n'));
    assert.equal(await count('c'), 0);

    const io = capture(env);
    assert.equal(await runCli(['import-comments', fixture('remark42.jsonl'), '--site', 'r', '--map-url', 'https://r42.example.com/posts/=/blog/'], io), 1, 'line 6 is broken');
    const text = io.stdout.join('\n');
    assert.match(text, /remark42\.jsonl: remark42/);
    assert.match(text, /Imported 4 comment\(s\) into site "r"; 0 already imported before/);
    assert.match(text, /By status: visible 3, deleted 1/);
    assert.match(text, /2\t\/blog\/one\//);
    assert.match(text, /skipped line 6 \(.*remark42\.jsonl\): not JSON/);
    assert.ok(io.stderr.some((l) => /100% read, 4 comments/.test(l)), 'plain progress lines when not on a terminal');

    const wp = capture(env);
    assert.equal(await runCli(['import-comments', fixture('isso-missing.db'), fixture('wordpress.xml'), '--site', 'w'], wp), 1);
    assert.match(wp.stdout.join('\n'), /isso-missing\.db: unknown format — FAILED: ENOENT/);
  });

  test('a dry run without PARLEY_SECRET answers (SQLite has one connection) and leaves no database, no secret behind', async () => {
    const fresh = `file:${path.join(temp.dir, 'dry', 'fresh.sqlite')}`;
    const dry = capture({ DATABASE_URL: fresh });
    assert.equal(await runCli(['import-comments', fixture('commento.json'), '--site', 'c', '--format', 'commento', '--dry-run'], dry), 1, 'c4 has no date');
    assert.ok(dry.stdout.some((l) => l.startsWith('Would import 3 comment(s) into site "c"')), dry.stdout.join('\n'));
    assert.equal(existsSync(path.join(temp.dir, 'dry')), false, 'the database (and folder) made for the dry run are gone');

    // An existing database without a kept secret: the dry run's secret is rolled back with the rest.
    const existing = `file:${path.join(temp.dir, 'existing.sqlite')}`;
    const store = openStore(existing);
    await store.migrate();
    await store.close();
    assert.equal(await runCli(['import-comments', fixture('commento.json'), '--site', 'c', '--format', 'commento', '--dry-run'], capture({ DATABASE_URL: existing })), 1);
    const reopened = openStore(existing);
    try {
      assert.deepEqual(await reopened.db.selectFrom('settings').select('key').where('key', '=', 'secret').execute(), []);
      assert.deepEqual(await reopened.db.selectFrom('comments').select('id').execute(), []);
    } finally {
      await reopened.close();
    }
  });

  test('usage errors exit 1 with the usage text', async () => {
    const io = capture(env);
    assert.equal(await runCli(['import-comments', fixture('wordpress.xml')], io), 1);
    assert.match(io.stderr.join('\n'), /needs FILE\.\.\. and --site ID/);
    const bad = capture(env);
    assert.equal(await runCli(['import-comments', fixture('wordpress.xml'), '--site', 'x', '--format', 'blogger'], bad), 1);
    assert.match(bad.stderr.join('\n'), /unknown format "blogger"/);
    const map = capture(env);
    assert.equal(await runCli(['import-comments', fixture('wordpress.xml'), '--site', 'x', '--map-url', 'nonsense'], map), 1);
    assert.match(map.stderr.join('\n'), /FROM=TO/);
  });

  test('export writes a Parley file that imports back into another site, and Disqus XML', async () => {
    const out = path.join(temp.dir, 'r.jsonl');
    const io = capture(env);
    assert.equal(await runCli(['export', '--site', 'r', '--out', out], io), 0, io.stderr.join('\n'));
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines[0].type, 'parley-export');
    assert.equal(lines.filter((l) => l.type === 'comment').length, 4);
    const back = capture(env);
    assert.equal(await runCli(['import-comments', out, '--site', 'r-copy'], back), 1, back.stdout.join('\n'));
    assert.equal(await count('r-copy'), 0, 'Parley exports keep their ids: the copy would collide with the originals');
    // Said so, item by item, rather than "already imported before".
    assert.match(back.stdout.join('\n'), /Imported 0 comment\(s\) into site "r-copy"; 0 already imported before/);
    assert.equal(back.stdout.filter((line) => line.includes('its id is a comment of site "r"') && line.includes('--format disqus')).length, 4, back.stdout.join('\n'));
    const again = capture(env);
    assert.equal(await runCli(['import-comments', out, '--site', 'r'], again), 0, 'into its own site it is a repeat: nothing changes');
    assert.match(again.stdout.join('\n'), /Imported 0 comment\(s\) into site "r"; 4 already imported before/);

    // `--out -` is standard output, not a file named "-".
    const written: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => void (written.push(String(chunk)), done()) });
    assert.equal(await runExport(['--site', 'r', '--out', '-'], capture(env), sink), 0);
    assert.equal(JSON.parse(written.join('').split('\n')[0]!).type, 'parley-export');
    assert.equal(existsSync('-'), false);

    const xml = path.join(temp.dir, 'r.xml');
    assert.equal(await runCli(['export', '--site', 'r', '--format', 'disqus', '--out', xml], capture(env)), 0);
    const copy = capture(env);
    assert.equal(await runCli(['import-comments', xml, '--site', 'r-disqus'], copy), 0, copy.stdout.join('\n'));
    assert.equal(await count('r-disqus'), 4);
  });
});
