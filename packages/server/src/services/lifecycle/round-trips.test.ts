import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../app.ts';
import { metrics } from '../../observability/metrics.ts';
import { parseSitesConfig } from '../../sites/config.ts';
import { SiteRegistry } from '../../sites/registry.ts';
import { setThreadLock } from '../../store/comments.repository.ts';
import type { Store } from '../../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../../test/helpers.ts';

// The PostgreSQL write path's cost is mostly its round trips: each costs the Node process and the
// backend a wake-up on loopback, and the page's changes wait for one another's. A posted comment
// takes one on a page this process changed last: BEGIN, the page lock, the comment with its event,
// fingerprint, NOTIFY, the rate-limit counters and the guards (the remembered page state, the
// limits, the duplicate rule), and COMMIT, in one pipelined message. On a page it does not
// remember, BEGIN with the lock and the page's state is one more.
// A change that adds one fails here: if it is meant, change the number and say why in docs/scaling.md.
const postgres = (await dialectsUnderTest()).find((dialect) => dialect.name === 'postgres')!;

describe('round trips of a posted comment on PostgreSQL', { skip: skipReason(postgres) }, () => {
  let dispose: () => Promise<void>;
  let app: ReturnType<typeof createApp>;
  /** A second instance on the same database: its own processes' memory, so its own remembered pages. */
  let other: ReturnType<typeof createApp>;
  let store: Store;

  before(async () => {
    if (postgres.skip) throw new Error(`PostgreSQL is required under CI=true: ${postgres.skip}`);
    const opened = await postgres.open();
    dispose = opened.dispose;
    store = opened.store;
    const sites = SiteRegistry.fromFile(parseSitesConfig({ sites: [{ id: 't', minFillSeconds: 0 }, { id: 'no-dupes', minFillSeconds: 0, duplicateWindowSeconds: 0 }] }, 'test'));
    const instance = () =>
      createApp({ store: opened.store, clock: manualClock('2026-03-01T00:00:00.000Z'), sites, config: { adminToken: undefined, embedFile: '/nonexistent', trustProxy: true, secret: 'test-secret' }, logError: () => {} });
    app = instance();
    other = instance();
  });
  after(async () => dispose?.());

  const counter = async (name: 'dbRoundTrips' | 'stalePageStates') => (await metrics[name].get()).values[0]?.value ?? 0;
  const tripsOf = async (work: () => Response | Promise<Response>, status: number) => {
    const before = await counter('dbRoundTrips');
    const response = await work();
    assert.equal(response.status, status, await response.clone().text());
    return (await counter('dbRoundTrips')) - before;
  };
  const post = (body: string, options: { site?: string; page?: string; headers?: Record<string, string>; parentId?: string; via?: typeof app } = {}) =>
    (options.via ?? app).request('/api/comments', {
      method: 'POST',
      headers: { ...jsonHeaders, ...options.headers },
      body: JSON.stringify({ site: options.site ?? 't', page: options.page ?? '/trips', body, author: { name: 'Ann', email: 'ann@example.org' }, ...(options.parentId ? { parentId: options.parentId } : {}) }),
    });

  test('one on a page this process changed last, two on another, with or without the duplicate rule; one more for an Idempotency-Key, two for a reply (its parent is read before the gate and under the lock)', async () => {
    // The first posts also load the secret and each site's bans, once per process.
    const first = (await (await post('Warming up')).json()) as { id: string };
    await post('Warming up', { site: 'no-dupes' });
    assert.equal(await tripsOf(() => post('Second', { site: 'no-dupes' }), 201), 1);
    assert.equal(await tripsOf(() => post('Elsewhere', { site: 'no-dupes', page: '/elsewhere' }), 201), 2);
    assert.equal(await tripsOf(() => post('Second'), 201), 1);
    assert.equal(await tripsOf(() => post('With a key', { headers: { 'idempotency-key': 'trips-key-0123456789' } }), 201), 2);
    assert.equal(await tripsOf(() => post('A reply', { parentId: first.id }), 201), 3);
  });

  test('a page another instance wrote to meanwhile: the remembered state fails its check, the change runs again under the lock, and event ids keep growing', async () => {
    const page = '/two-instances';
    await post('A1', { site: 'no-dupes', page });
    await post('A2', { site: 'no-dupes', page });
    await post('B1', { site: 'no-dupes', page, via: other });
    const stale = await counter('stalePageStates');
    // The remembered attempt (1), its ROLLBACK (1), then BEGIN with the lock and state (1) and the writes with COMMIT (1).
    assert.equal(await tripsOf(() => post('A3', { site: 'no-dupes', page }), 201), 4);
    assert.equal((await counter('stalePageStates')) - stale, 1);
    assert.equal(await tripsOf(() => post('A4', { site: 'no-dupes', page }), 201), 1);
    const events = await store.db.selectFrom('comment_events').select(['id', 'comment_id']).where('site', '=', 'no-dupes').where('page', '=', page).orderBy('id').execute();
    const bodies = await store.db.selectFrom('comments').select(['id', 'body']).where('site', '=', 'no-dupes').where('page', '=', page).execute();
    const bodyOf = new Map(bodies.map((row) => [row.id, row.body]));
    assert.deepEqual(events.map((event) => bodyOf.get(event.comment_id!)), ['A1', 'A2', 'B1', 'A3', 'A4']);
  });

  test('a thread another instance closed: the remembered "open" fails its check, and the post is refused', async () => {
    const page = '/closed-elsewhere';
    await post('Open', { site: 'no-dupes', page });
    await setThreadLock(store.db, 'no-dupes', page, true, '2026-03-01T00:00:00.000Z');
    const refused = await post('Too late', { site: 'no-dupes', page });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'thread_locked');
    const rows = await store.db.selectFrom('comments').select('body').where('site', '=', 'no-dupes').where('page', '=', page).execute();
    assert.deepEqual(rows.map((row) => row.body), ['Open']);
  });
});
