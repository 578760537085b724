import assert from 'node:assert/strict';
import { remembered } from '../store/later-writes.ts';
import { after, before, describe, test } from 'node:test';
import { DatabaseRateLimitStore } from '../rate-limit/database-store.ts';
import { RateLimitedError } from '../rate-limit/rate-limit.ts';
import { ModerationService } from '../services/moderation.ts';
import { Identity } from '../services/comments-identity.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, manualClock, skipReason } from '../test/helpers.ts';
import { CommentGate, CommentRejectedError } from './gate.ts';

for (const dialect of await dialectsUnderTest()) {
  describe(`CommentGate on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let gate: CommentGate;
    let moderation: ModerationService;
    const clock = manualClock('2026-05-01T00:00:00.000Z');
    const identity = new Identity('gate-test-secret');
    const sites = SiteRegistry.fromFile(
      parseSitesConfig(
        {
          sites: [
            { id: 'news', moderation: 'first-time', maxLinks: 1, blockedWords: ['casino'], rateLimits: { perIp: { max: 3, windowSeconds: 60 }, perPage: { max: 100, windowSeconds: 60 }, perAuthor: { max: 100, windowSeconds: 60 } } },
            { id: 'open', minFillSeconds: 0 },
            { id: 'names', minFillSeconds: 0, duplicateWindowSeconds: 0, rateLimits: { perIp: { max: 100, windowSeconds: 60 }, perPage: { max: 100, windowSeconds: 60 }, perAuthor: { max: 2, windowSeconds: 60 } } },
          ],
        },
        'test',
      ),
    );

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      moderation = new ModerationService(store, clock, sites);
      gate = new CommentGate({ store, clock, sites, limits: new DatabaseRateLimitStore(store.db, clock), moderation, identity: async () => identity });
    });
    after(async () => dispose?.());

    const fillMs = 20_000; // the form was open 20 s
    const rejected = (code: string) => (error: unknown) => error instanceof CommentRejectedError && error.status === 422 && error.result.reasonCode === code;

    test('without an email, the per-author limit is per name AND address: two readers called John do not share one', async () => {
      const post = (ipHash: string, n: number) => gate.check({ site: 'names', page: '/hot', body: `john ${ipHash} ${n}`, authorName: 'John', fillMs }, { ip: ipHash, ipHash });
      await post('ip-a', 1);
      await post('ip-a', 2);
      await assert.rejects(post('ip-a', 3), (error: unknown) => error instanceof RateLimitedError);
      // Another John elsewhere still has his own budget.
      await post('ip-b', 1);
      await post('ip-b', 2);
    });

    test('first-time: held until the author presents the token of their approved comment, then published', async () => {
      const first = await gate.check({ site: 'news', page: '/a', body: 'Hello', fillMs }, { ip: '1.1.1.1', ipHash: 'ip-1', emailHash: 'mail-1' });
      assert.deepEqual([first.decision, first.reasonCode], ['hold', 'first_time']);
      const t = clock.now().toISOString();
      await store.db.insertInto('comments').values({ id: '01J0000000000000000000000A', site: 'news', page: '/a', parent_id: null, author_name: null, author_email: null, author_email_hash: 'mail-1', body: 'Hello', status: 'visible', created_at: t, updated_at: t } as never).execute();
      // The same email without the token (an impostor typing it) is still first-time.
      const impostor = await gate.check({ site: 'news', page: '/a', body: 'Me, honest', fillMs }, { ip: '1.1.1.1', ipHash: 'ip-1', emailHash: 'mail-1' });
      assert.equal(impostor.reasonCode, 'first_time');
      const authorToken = identity.authorToken('mail-1', '01J0000000000000000000000A');
      const second = await gate.check({ site: 'news', page: '/a', body: 'Me again', fillMs }, { ip: '1.1.1.1', ipHash: 'ip-1', emailHash: 'mail-1', authorToken });
      assert.equal(second.decision, 'publish');
      // Stored: its fingerprint is remembered in the comment's transaction (here, directly).
      await remembered(store.db, second.remember);
    });

    test('duplicates by email or IP are rejected within the window, with a reason to show', async () => {
      await assert.rejects(gate.check({ site: 'news', page: '/b', body: 'me  AGAIN!', fillMs }, { ip: '2.2.2.2', ipHash: 'ip-2', emailHash: 'mail-1' }), (error: unknown) => {
        assert.ok(rejected('duplicate')(error));
        assert.equal((error as Error).message, 'You have already posted this comment.');
        return true;
      });
      clock.advance(3_600_000);
      const authorToken = identity.authorToken('mail-1', '01J0000000000000000000000A');
      assert.equal((await gate.check({ site: 'news', page: '/b', body: 'me again', fillMs }, { ip: '2.2.2.2', ipHash: 'ip-2', emailHash: 'mail-1', authorToken })).decision, 'publish');
    });

    test('links, blocked words, bot traps, bans', async () => {
      const req = { ip: '3.3.3.3', ipHash: 'ip-3' };
      await assert.rejects(gate.check({ site: 'news', page: '/c', body: 'http://a.example http://b.example', fillMs }, req), rejected('too_many_links'));
      assert.equal((await gate.check({ site: 'news', page: '/c', body: 'Best Casino here', fillMs }, { ip: '4.4.4.4', ipHash: 'ip-4' })).reasonCode, 'blocked_word');
      await assert.rejects(gate.check({ site: 'news', page: '/c', body: 'x', honeypot: 'filled', fillMs }, { ip: '5.5.5.5', ipHash: 'ip-5' }), rejected('honeypot'));
      await moderation.ban({ site: 'open', kind: 'ip', valueHash: 'f'.repeat(64) });
      await assert.rejects(gate.check({ site: 'open', page: '/c', body: 'hi' }, { ip: '6.6.6.6', ipHash: 'f'.repeat(64) }), rejected('banned'));
    });

    test('per-IP rate limit: 429 with the time to wait, before any moderation work', async () => {
      clock.advance(120_000);
      const req = { ip: '7.7.7.7', ipHash: 'ip-7' };
      for (let i = 0; i < 3; i++) await gate.check({ site: 'news', page: '/d', body: `comment ${i}`, fillMs }, req);
      await assert.rejects(gate.check({ site: 'news', page: '/d', body: 'comment 4', fillMs }, req), (error: unknown) => {
        assert.ok(error instanceof RateLimitedError);
        assert.equal(error.retryAfterSeconds, 60);
        assert.match(error.message, /from your network/);
        return true;
      });
    });

    test('an unknown site is 404 site_not_found', async () => {
      await assert.rejects(gate.check({ site: 'nope', page: '/', body: 'x' }, { ip: '8.8.8.8', ipHash: 'ip-8' }), { code: 'site_not_found' });
    });
  });
}
