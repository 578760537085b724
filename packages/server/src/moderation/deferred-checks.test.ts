import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../app.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import { setThreadLock } from '../store/comments.repository.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../test/helpers.ts';

// On PostgreSQL the rate limits and the duplicate rule ride with the comment's write (see
// deferred-checks.ts). Whatever way they are checked, readers must get the same answers as before:
// 429 with Retry-After over a limit, 422 for a duplicate, nothing stored, and every attempt counted.
const postgres = (await dialectsUnderTest()).find((dialect) => dialect.name === 'postgres')!;

describe('the gate\'s checks in the write (PostgreSQL)', { skip: skipReason(postgres) }, () => {
  let dispose: () => Promise<void>;
  let app: ReturnType<typeof createApp>;
  let store: Store;

  before(async () => {
    if (postgres.skip) throw new Error(`PostgreSQL is required under CI=true: ${postgres.skip}`);
    const opened = await postgres.open();
    dispose = opened.dispose;
    store = opened.store;
    const sites = SiteRegistry.fromFile(
      parseSitesConfig({ sites: [{ id: 'd', minFillSeconds: 0, rateLimits: { perIp: { max: 3, windowSeconds: 600 }, perAuthor: { max: 100, windowSeconds: 600 }, perPage: { max: 100, windowSeconds: 600 } } }] }, 'test'),
    );
    app = createApp({ store, clock: manualClock('2026-03-01T00:00:00.000Z'), sites, config: { adminToken: undefined, embedFile: '/nonexistent', trustProxy: true, secret: 'test-secret' }, logError: () => {} });
  });
  after(async () => dispose?.());

  const post = (page: string, body: string, ip: string) =>
    app.request('/api/comments', {
      method: 'POST',
      headers: { ...jsonHeaders, 'x-forwarded-for': ip },
      body: JSON.stringify({ site: 'd', page, body, author: { name: 'Ann', email: `${ip}@example.org` } }),
    });
  const bodies = async (page: string) => (await store.db.selectFrom('comments').select('body').where('site', '=', 'd').where('page', '=', page).orderBy('created_at').orderBy('id').execute()).map((row) => row.body);
  const ipCount = async () => {
    const rows = await store.db.selectFrom('rate_limits').select(['key', 'count']).where('key', 'like', 'post:d:ip:%').execute();
    return rows.map((row) => Number(row.count));
  };

  test('over a limit: 429 with Retry-After, nothing stored, and the attempt counted', async () => {
    for (let i = 1; i <= 3; i++) assert.equal((await post('/limits', `Comment ${i}`, '203.0.113.1')).status, 201);
    const refused = await post('/limits', 'Comment 4', '203.0.113.1');
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /from your network: at most 3 in 600 s/);
    assert.deepEqual(await bodies('/limits'), ['Comment 1', 'Comment 2', 'Comment 3']);
    assert.deepEqual(await ipCount(), [4]);
  });

  test('a duplicate: 422, one copy stored; a refused attempt still counts', async () => {
    assert.equal((await post('/dupes', 'Same words', '203.0.113.2')).status, 201);
    const again = await post('/dupes', 'Same  WORDS', '203.0.113.2');
    assert.equal(again.status, 422);
    assert.match(((await again.json()) as { error: { message: string } }).error.message, /already posted/);
    assert.deepEqual(await bodies('/dupes'), ['Same words']);
    // A closed thread refuses after the gate: that attempt counts too, and the limit then holds.
    await setThreadLock(store.db, 'd', '/closed', true, '2026-03-01T00:00:00.000Z');
    assert.equal((await post('/closed', 'Let me in', '203.0.113.2')).status, 403);
    assert.equal((await post('/dupes', 'Something new', '203.0.113.2')).status, 429);
  });
});
