import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PG_URL, dialectsUnderTest, skipReason } from '../test/helpers.ts';
import { sendLaterWrites } from './later-writes.ts';
import { WITH_NEXT_MARK, wrapPool } from './pg-client.ts';

interface Scratch {
  scratch: { id: number; note: string };
}

const postgres = (await dialectsUnderTest()).find((dialect) => dialect.name === 'postgres')!;

describe('PostgreSQL round trips (store/pg-client.ts, store/later-writes.ts)', { skip: skipReason(postgres) }, () => {
  /** What reached the connection, one entry per round trip. */
  const sent: string[] = [];
  let db: Kysely<Scratch>;

  before(async () => {
    if (postgres.skip) throw new Error(`PostgreSQL is required under CI=true: ${postgres.skip}`);
    // One connection, so its temporary table is there for every statement.
    const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
    const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
    const spied = new WeakSet<pg.PoolClient>();
    (pool as { connect: unknown }).connect = async () => {
      const client = await connect();
      if (!spied.has(client)) {
        spied.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        (client as { query: unknown }).query = (text: unknown, values?: unknown) => {
          // A pipelined query's statements in front of its own, `;`-separated like a simple-protocol text.
          const { text: own, before = [] } = typeof text === 'string' ? { text } : (text as { text: string; before?: Array<{ text: string }> });
          sent.push([...before.map((statement) => statement.text), own].join(';'));
          return query(text, values);
        };
      }
      return client;
    };
    db = new Kysely<Scratch>({ dialect: new PostgresDialect({ pool: wrapPool(pool, { prepared: true }) }) });
    await sql`create temporary table scratch (id int primary key, note text not null)`.execute(db);
  });

  after(async () => {
    await db?.destroy();
  });

  const rows = async () => (await db.selectFrom('scratch').select(['id', 'note']).orderBy('id').execute()).map((row) => `${row.id}:${row.note}`);
  const trips = async (work: () => Promise<unknown>) => {
    sent.length = 0;
    await work();
    return [...sent];
  };

  test('BEGIN goes out with a first statement that has no parameters, which can be several, answering with the last one\'s rows', async () => {
    let answer: unknown;
    const messages = await trips(() =>
      db.transaction().execute(async (trx) => {
        answer = (await sql.raw<{ n: number }>(`select 1 as n; select 2 as n`).execute(trx)).rows;
        await trx.insertInto('scratch').values({ id: 1, note: 'one' }).execute();
      }),
    );
    assert.deepEqual(answer, [{ n: 2 }]);
    assert.deepEqual(messages.map((text) => text.split(';')[0]), ['begin', 'insert into "scratch" ("id", "note") values ($1, $2)', 'commit']);
    assert.deepEqual(await rows(), ['1:one']);
  });

  test('a first statement with parameters goes out with BEGIN in one pipelined message, and the transaction still rolls back as one', async () => {
    const messages = await trips(() =>
      db
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('scratch').values({ id: 2, note: 'two' }).execute();
          throw new Error('changed my mind');
        })
        .catch(() => {}),
    );
    assert.deepEqual(messages, ['begin;insert into "scratch" ("id", "note") values ($1, $2)', 'rollback']);
    assert.deepEqual(await rows(), ['1:one']);
  });

  test('a transaction that runs no statement sends nothing', async () => {
    assert.deepEqual(await trips(() => db.transaction().execute(async () => 'nothing')), []);
    assert.deepEqual(await trips(() => db.transaction().execute(async () => Promise.reject(new Error('no'))).catch(() => {})), []);
  });

  test('a failing merged first statement rolls back, and the connection serves the next transaction', async () => {
    await assert.rejects(db.transaction().execute(async (trx) => sql.raw(`select 1; select no_such_column from scratch`).execute(trx)), /no_such_column/);
    await db.transaction().execute(async (trx) => trx.insertInto('scratch').values({ id: 3, note: 'three' }).execute());
    assert.deepEqual(await rows(), ['1:one', '3:three']);
  });

  test('later writes and a NOTIFY are one statement, sent with the COMMIT; one of them failing rolls back the whole change', async () => {
    const messages = await trips(() =>
      db.transaction().execute(async (trx) => {
        await trx.insertInto('scratch').values({ id: 4, note: 'four' }).execute();
        const later = [trx.insertInto('scratch').values({ id: 5, note: 'five' }), trx.updateTable('scratch').set({ note: 'ONE' }).where('id', '=', 1)];
        await sendLaterWrites(trx as never, 'postgres', later, [sql`pg_notify('parley_test_later', 'hi')`]);
      }),
    );
    // BEGIN with the insert; the later writes and COMMIT in one pipelined message (no COMMIT of its own).
    assert.equal(messages.length, 2, messages.join('\n'));
    assert.match(messages[1]!, /^with "w0" as \(insert into "scratch".*\), "w1" as \(update "scratch".*\) select pg_notify/);
    assert.deepEqual(await rows(), ['1:ONE', '3:three', '4:four', '5:five']);

    const failing = await trips(() =>
      assert.rejects(
        db.transaction().execute(async (trx) => {
          await trx.insertInto('scratch').values({ id: 6, note: 'six' }).execute();
          await sendLaterWrites(trx as never, 'postgres', [trx.insertInto('scratch').values({ id: 7, note: 'seven' }), trx.insertInto('scratch').values({ id: 1, note: 'duplicate' })], []);
        }),
        /duplicate key/,
      ),
    );
    // The failure surfaces at COMMIT; Kysely's ROLLBACK ends the aborted transaction.
    assert.deepEqual([failing.length, failing.at(-1)], [3, 'rollback']);
    assert.deepEqual(await rows(), ['1:ONE', '3:three', '4:four', '5:five']);
  });

  test('marked later writes outside a transaction go at once, and a ROLLBACK drops held ones unsent', async () => {
    await sendLaterWrites(db as never, 'postgres', [db.insertInto('scratch').values({ id: 8, note: 'eight' }), db.insertInto('scratch').values({ id: 9, note: 'nine' })], []);
    assert.deepEqual(await rows(), ['1:ONE', '3:three', '4:four', '5:five', '8:eight', '9:nine']);
    const messages = await trips(() =>
      db
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('scratch').values({ id: 10, note: 'ten' }).execute();
          await sendLaterWrites(trx as never, 'postgres', [trx.insertInto('scratch').values({ id: 11, note: 'eleven' }), trx.insertInto('scratch').values({ id: 12, note: 'twelve' })], []);
          throw new Error('changed my mind after the later writes');
        })
        .catch(() => {}),
    );
    assert.deepEqual(messages.map((text) => text.slice(0, 12)), ['begin;insert', 'rollback']);
    assert.deepEqual(await rows(), ['1:ONE', '3:three', '4:four', '5:five', '8:eight', '9:nine']);
  });

  const lockLater = (trx: Kysely<Scratch>) => sql.raw(`${WITH_NEXT_MARK}select pg_advisory_xact_lock(4242)`).execute(trx);
  const heldLocks = async (trx: Kysely<Scratch>) =>
    Number((await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = ${4242} and pid = pg_backend_pid()`.execute(trx)).rows[0]!.n);

  test('a statement marked to go with the next one waits for it: BEGIN, the lock and a read are one message, and the read runs under the lock', async () => {
    let locks = -1;
    const messages = await trips(() =>
      db.transaction().execute(async (trx) => {
        await lockLater(trx);
        locks = await heldLocks(trx);
      }),
    );
    assert.equal(locks, 1);
    assert.deepEqual(messages.map((text) => text.split(';').slice(0, 2).join(';')), ['begin;select pg_advisory_xact_lock(4242)', 'commit']);
  });

  test('BEGIN, a waiting lock, the later writes and COMMIT are one round trip; a ROLLBACK or a COMMIT with nothing else sends nothing', async () => {
    const messages = await trips(() =>
      db.transaction().execute(async (trx) => {
        await lockLater(trx);
        await sendLaterWrites(trx as never, 'postgres', [trx.insertInto('scratch').values({ id: 13, note: 'thirteen' }), trx.insertInto('scratch').values({ id: 14, note: 'fourteen' })], []);
      }),
    );
    assert.equal(messages.length, 1, messages.join('\n'));
    assert.match(messages[0]!, /^begin;select pg_advisory_xact_lock\(4242\);with "w0" as \(insert into "scratch"/);
    assert.deepEqual((await rows()).slice(-2), ['13:thirteen', '14:fourteen']);
    assert.deepEqual(await trips(() => db.transaction().execute(async (trx) => void (await lockLater(trx)))), []);
    const rolledBack = await trips(() =>
      db
        .transaction()
        .execute(async (trx) => {
          await lockLater(trx);
          await sendLaterWrites(trx as never, 'postgres', [trx.insertInto('scratch').values({ id: 15, note: 'fifteen' }), trx.insertInto('scratch').values({ id: 16, note: 'sixteen' })], []);
          throw new Error('changed my mind');
        })
        .catch(() => {}),
    );
    assert.deepEqual(rolledBack, []);
    assert.deepEqual((await rows()).slice(-1), ['14:fourteen']);
  });

  test('when the pipelined writes fail, nothing of the transaction stays and the connection serves the next one', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await lockLater(trx);
        await sendLaterWrites(trx as never, 'postgres', [trx.insertInto('scratch').values({ id: 17, note: 'seventeen' }), trx.insertInto('scratch').values({ id: 1, note: 'duplicate' })], []);
      }),
      /duplicate key/,
    );
    assert.deepEqual((await rows()).slice(-1), ['14:fourteen']);
    await db.transaction().execute(async (trx) => {
      await lockLater(trx);
      await trx.insertInto('scratch').values({ id: 18, note: 'eighteen' }).execute();
    });
    assert.deepEqual((await rows()).slice(-1), ['18:eighteen']);
    // No lock outlives its transaction.
    assert.equal(await heldLocks(db), 0);
  });
});
