import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../store/store.ts';
import { insertOutbox } from '../store/outbox.repository.ts';
import { dialectsUnderTest, manualClock, skipReason } from '../test/helpers.ts';
import { OutboxWorker } from './outbox-worker.ts';

for (const dialect of await dialectsUnderTest()) {
  describe(`the outbox on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    const clock = manualClock('2026-03-01T00:00:00.000Z');

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
    });
    after(async () => dispose?.());

    const row = (id: string) => ({ id, kind: 'mail.test', site: 'news', payload: JSON.stringify({ id }), next_attempt_at: clock.now().toISOString(), created_at: clock.now().toISOString() });
    const status = async (id: string) => (await store.db.selectFrom('outbox').select(['status', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow());

    test('two workers on one outbox send each row once', async () => {
      const ids = Array.from({ length: 20 }, (_, i) => `01HONCE${String(i).padStart(19, '0')}`);
      await insertOutbox(store.db, ids.map(row));
      const sent: string[] = [];
      const worker = () => new OutboxWorker({ store, clock, deliver: async (r) => void sent.push(r.id) });
      await Promise.all([worker().runOnce(), worker().runOnce(), worker().runOnce()]);
      assert.deepEqual([...sent].sort(), ids);
      for (const id of ids) assert.equal((await status(id)).status, 'sent');
    });

    test('a failed send is retried with backoff, then given up; a worker that died mid-send leaves it to another after its lease', async () => {
      await insertOutbox(store.db, [row('01HRETRY000000000000000000')]);
      let failures = 1;
      const sent: string[] = [];
      const worker = new OutboxWorker({ store, clock, baseBackoffMs: 1_000, maxAttempts: 3, deliver: async (r) => {
        if (failures-- > 0) throw new Error('SMTP said no');
        sent.push(r.id);
      } });
      assert.equal(await worker.runOnce(), 1);
      assert.deepEqual(await status('01HRETRY000000000000000000'), { status: 'pending', attempts: 1 });
      assert.equal(await worker.runOnce(), 0, 'not due before its backoff');
      clock.advance(1_000);
      assert.equal(await worker.runOnce(), 1);
      assert.deepEqual([sent, await status('01HRETRY000000000000000000')], [['01HRETRY000000000000000000'], { status: 'sent', attempts: 2 }]);

      // A worker that claims and then dies (its deliver never settles) holds the row only for its lease.
      await insertOutbox(store.db, [row('01HCRASH000000000000000000')]);
      const dying = new OutboxWorker({ store, clock, leaseMs: 60_000, deliver: () => new Promise<void>(() => {}) });
      void dying.runOnce();
      const rescuer: string[] = [];
      const other = new OutboxWorker({ store, clock, deliver: async (r) => void rescuer.push(r.id) });
      await new Promise((resolve) => setImmediate(resolve));
      for (let i = 0; i < 50 && (await store.db.selectFrom('outbox').select('next_attempt_at').where('id', '=', '01HCRASH000000000000000000').executeTakeFirstOrThrow()).next_attempt_at === clock.now().toISOString(); i++) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal(await other.runOnce(), 0, 'claimed by the dying worker');
      clock.advance(60_000);
      assert.equal(await other.runOnce(), 1);
      assert.deepEqual(rescuer, ['01HCRASH000000000000000000']);
    });
  });
}
