import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../app.ts';
import { metrics } from '../../observability/metrics.ts';
import { parseSitesConfig } from '../../sites/config.ts';
import { SiteRegistry } from '../../sites/registry.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../../test/helpers.ts';

// The PostgreSQL write path's cost is mostly its round trips (each ≈ 100 µs of Node and as much of
// the backend on loopback). A posted comment takes three: the rate-limit upsert; BEGIN with the page
// lock and the page's state; the comment with its event, fingerprint and NOTIFY pipelined with the
// COMMIT — and a fourth, the fingerprint look-up, when the site's duplicate rule is on (the default). A change that
// adds one fails here: if it is meant, change the number and say why in docs/scaling.md.
const postgres = (await dialectsUnderTest()).find((dialect) => dialect.name === 'postgres')!;

describe('round trips of a posted comment on PostgreSQL', { skip: skipReason(postgres) }, () => {
  let dispose: () => Promise<void>;
  let app: ReturnType<typeof createApp>;

  before(async () => {
    if (postgres.skip) throw new Error(`PostgreSQL is required under CI=true: ${postgres.skip}`);
    const opened = await postgres.open();
    dispose = opened.dispose;
    const sites = SiteRegistry.fromFile(parseSitesConfig({ sites: [{ id: 't', minFillSeconds: 0 }, { id: 'no-dupes', minFillSeconds: 0, duplicateWindowSeconds: 0 }] }, 'test'));
    app = createApp({ store: opened.store, clock: manualClock('2026-03-01T00:00:00.000Z'), sites, config: { adminToken: undefined, embedFile: '/nonexistent', trustProxy: true, secret: 'test-secret' }, logError: () => {} });
  });
  after(async () => dispose?.());

  const tripsOf = async (work: () => Response | Promise<Response>, status: number) => {
    const before = (await metrics.dbRoundTrips.get()).values[0]?.value ?? 0;
    const response = await work();
    assert.equal(response.status, status, await response.clone().text());
    return ((await metrics.dbRoundTrips.get()).values[0]?.value ?? 0) - before;
  };
  const post = (body: string, options: { site?: string; headers?: Record<string, string>; parentId?: string } = {}) =>
    app.request('/api/comments', {
      method: 'POST',
      headers: { ...jsonHeaders, ...options.headers },
      body: JSON.stringify({ site: options.site ?? 't', page: '/trips', body, author: { name: 'Ann', email: 'ann@example.org' }, ...(options.parentId ? { parentId: options.parentId } : {}) }),
    });

  test('three without the duplicate rule, four with it; one more for an Idempotency-Key, two more for a reply (its parent is read before the gate and under the lock)', async () => {
    // The first posts also load the secret and each site's bans, once per process.
    const first = (await (await post('Warming up')).json()) as { id: string };
    await post('Warming up', { site: 'no-dupes' });
    assert.equal(await tripsOf(() => post('Second', { site: 'no-dupes' }), 201), 3);
    assert.equal(await tripsOf(() => post('Second'), 201), 4);
    assert.equal(await tripsOf(() => post('With a key', { headers: { 'idempotency-key': 'trips-key-0123456789' } }), 201), 5);
    assert.equal(await tripsOf(() => post('A reply', { parentId: first.id }), 201), 6);
  });
});
