import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { backupCommand } from '../cli/backup.ts';
import { openStore } from './store.ts';
import { tempDir } from '../test/helpers.ts';

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { env, out: (line: string) => out.push(line), err: (line: string) => err.push(line) }, out, err };
}

describe('parley backup / restore (SQLite)', () => {
  test('a backup taken while the server writes holds what the WAL holds; restore brings it back', async () => {
    const temp = tempDir('parley-backup-');
    try {
      const url = `file:${path.join(temp.dir, 'live.sqlite')}`;
      const live = openStore(url);
      await live.migrate();
      for (let n = 0; n < 50; n++) {
        await live.db.insertInto('settings').values({ key: `k${n}`, value: 'v'.repeat(500) }).execute();
      }
      // The point: the data is still in the -wal file, so copying the main file would lose it.
      assert.ok(statSync(path.join(temp.dir, 'live.sqlite-wal')).size > 0);
      const backupFile = path.join(temp.dir, 'backup.sqlite');
      const backup = io({ DATABASE_URL: url });
      assert.equal(await backupCommand(['backup', backupFile], backup.io), 0, backup.err.join('\n'));
      assert.match(backup.out[0]!, /^Backed up \d+ pages/);
      assert.equal(existsSync(`${backupFile}-wal`), false);

      // Later writes, then a restore (server stopped): back to the backup's content.
      await live.db.deleteFrom('settings').execute();
      await live.close();
      const restore = io({ DATABASE_URL: url });
      assert.equal(await backupCommand(['restore', backupFile], restore.io), 0, restore.err.join('\n'));
      assert.ok(existsSync(path.join(temp.dir, 'live.sqlite.before-restore')));
      const restored = openStore(url);
      const rows = await restored.db.selectFrom('settings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await restored.close();
      assert.equal(Number(rows.n), 50);
    } finally {
      temp.remove();
    }
  });

  test('refuses what it cannot do, in one line: PostgreSQL, a file that is not a backup, no FILE', async () => {
    const temp = tempDir('parley-backup-');
    try {
      const pg = io({ DATABASE_URL: 'postgres://root@127.0.0.1:5432/test' });
      assert.equal(await backupCommand(['backup', path.join(temp.dir, 'x')], pg.io), 1);
      assert.match(pg.err[0]!, /pg_dump/);
      const junk = path.join(temp.dir, 'junk.sqlite');
      const notBackup = io({ DATABASE_URL: `file:${path.join(temp.dir, 'db.sqlite')}` });
      const { writeFileSync } = await import('node:fs');
      writeFileSync(junk, 'not a database');
      assert.equal(await backupCommand(['restore', junk], notBackup.io), 1);
      assert.match(notBackup.err[0]!, /not a Parley backup/);
      assert.equal(await backupCommand(['backup'], notBackup.io), 1);
    } finally {
      temp.remove();
    }
  });
});
