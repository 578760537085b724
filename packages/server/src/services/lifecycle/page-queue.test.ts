import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '../../clock.ts';
import type { Store } from '../../store/store.ts';
import { dialectsUnderTest, eventually, skipReason } from '../../test/helpers.ts';
import { InProcessNotifier } from '../live/notifier.ts';
import { CommentLifecycle } from './lifecycle.ts';

for (const dialect of await dialectsUnderTest()) {
  describe(`a page's changes queue in the process on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
    });
    after(async () => dispose?.());

    test('while one change holds the page, the next wait in memory (no connection asleep on the page lock), then run in arrival order', async () => {
      const lifecycle = new CommentLifecycle({ store, clock: systemClock, notifier: new InProcessNotifier() });
      const ran: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = lifecycle.change('s', '/busy', async () => {
        ran.push('first');
        await held;
      });
      await eventually(async () => ran.length, (n) => n === 1, 'the first change running');
      const others = ['second', 'third'].map((name) => lifecycle.change('s', '/busy', async () => void ran.push(name)));
      await eventually(async () => lifecycle.queue.waiting, (n) => n === 2, 'two changes queued');
      // SQLite has one connection, so every transaction waits for the one under way anyway.
      if (store.dialect === 'postgres') {
        await lifecycle.change('s', '/quiet', async () => void ran.push('other page'));
        assert.deepEqual(ran, ['first', 'other page'], 'another page is not held up');
        // Nobody else waits on an advisory lock: the queued changes have not taken a connection.
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`.execute(store.db);
        assert.equal(rows[0]!.n, 0);
      }
      release();
      await Promise.all([first, ...others]);
      assert.deepEqual(ran.filter((name) => name !== 'other page'), ['first', 'second', 'third']);
      assert.equal(lifecycle.queue.pages, 0, 'pages without a change under way are forgotten');
    });

    test('a failing change does not hold up the next one', async () => {
      const lifecycle = new CommentLifecycle({ store, clock: systemClock, notifier: new InProcessNotifier() });
      const failing = lifecycle.change('s', '/fails', async () => {
        throw new Error('refused');
      });
      const next = lifecycle.change('s', '/fails', async () => 'stored');
      await assert.rejects(failing, /refused/);
      assert.equal(await next, 'stored');
      assert.equal(lifecycle.queue.waiting, 0);
    });
  });
}
