import assert from 'node:assert/strict';
import { remembered } from '../store/later-writes.ts';
import { after, before, describe, test } from 'node:test';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { recordFingerprint } from '../store/fingerprints.repository.ts';
import { insertOutbox } from '../store/outbox.repository.ts';
import { dialectsUnderTest, manualClock, skipReason } from '../test/helpers.ts';
import { pruneJobs } from './prune.ts';
import { JobRunner } from './runner.ts';

for (const dialect of await dialectsUnderTest()) {
  describe(`scheduled pruning on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    const clock = manualClock('2026-03-01T00:00:00.000Z');
    const sites = SiteRegistry.fromFile(parseSitesConfig({ sites: [{ id: 'news', duplicateWindowSeconds: 3600 }] }, 'test'));

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
    });
    after(async () => dispose?.());

    const count = async (table: 'rate_limits' | 'content_fingerprints' | 'outbox') => Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    test('old rows go, current ones stay, and of two instances only one runs each job per period', async () => {
      const t = (offsetMs: number) => new Date(clock.now().getTime() + offsetMs).toISOString();
      await store.db.insertInto('rate_limits').values([{ key: 'ended', count: 3, reset_at: t(-1000) }, { key: 'running', count: 1, reset_at: t(60_000) }]).execute();
      await remembered(store.db, (w) => recordFingerprint(w, 'news', 'old-body', ['ip-1'], t(-2 * 3600_000)));
      await remembered(store.db, (w) => recordFingerprint(w, 'news', 'new-body', ['ip-1'], t(-60_000)));
      await insertOutbox(store.db, [{ id: '01HOLDSENT0000000000000000', kind: 'mail.x', site: 'news', payload: '{}', next_attempt_at: t(-9 * 86_400_000), created_at: t(-9 * 86_400_000) }, { id: '01HPENDING0000000000000000', kind: 'mail.x', site: 'news', payload: '{}', next_attempt_at: t(-9 * 86_400_000), created_at: t(-9 * 86_400_000) }]);
      await store.db.updateTable('outbox').set({ status: 'sent' }).where('id', '=', '01HOLDSENT0000000000000000').execute();

      const one = new JobRunner({ store, clock, queues: [], jobs: pruneJobs({ store, clock, sites }) });
      const two = new JobRunner({ store, clock, queues: [], jobs: pruneJobs({ store, clock, sites }) });
      const [ranOne, ranTwo] = await Promise.all([one.runDueJobs(), two.runDueJobs()]);
      assert.deepEqual([...ranOne, ...ranTwo].sort(), pruneJobs({ store, clock, sites }).map((job) => job.name).sort(), 'each job ran once in all');
      assert.equal(await count('rate_limits'), 1);
      assert.equal(await count('content_fingerprints'), 1);
      assert.deepEqual((await store.db.selectFrom('outbox').select('id').execute()).map((row) => row.id), ['01HPENDING0000000000000000'], 'unsent mail is never pruned');
      // Within the period nobody runs them again; after it, someone does.
      assert.deepEqual([...(await one.runDueJobs()), ...(await two.runDueJobs())], []);
      clock.advance(7 * 3600_000);
      assert.ok((await two.runDueJobs()).includes('prune:content_fingerprints'));
    });
  });
}
