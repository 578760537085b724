import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BanSchema, ErrorBodySchema, FlagResultSchema, type ErrorCode } from '@parley/schema';
import { createApp } from '../app.ts';
import { ModerationService } from '../services/moderation.ts';
import { AdminsService } from '../services/admins.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../test/helpers.ts';

const NEWS = 'https://news.example';
const ids = { a: '01J0000000000000000000000A', b: '01J0000000000000000000000B', gone: '01J0000000000000000000000G', missing: '01J0000000000000000000000Z' };

async function expectError(response: Response, status: number, code: ErrorCode) {
  const body = ErrorBodySchema.parse(await response.json());
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error.code, code);
}

for (const dialect of await dialectsUnderTest()) {
  describe(`flags and bans on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    let sites: SiteRegistry;
    const clock = manualClock();

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      sites = SiteRegistry.fromFile(parseSitesConfig({ sites: [{ id: 'news', origins: [NEWS], flagsToQueue: 2 }, { id: 'open' }] }, 'test'));
      app = createApp({ store, clock, sites, config: { adminToken: 'script-token', embedFile: '/nonexistent', trustProxy: true }, logError: () => {} });
      const t = '2026-01-01T00:00:00.000Z';
      // Rows as the comments service stores them; only id/site/status matter to flags.
      for (const [id, status] of [[ids.a, 'visible'], [ids.b, 'visible'], [ids.gone, 'deleted']] as const) {
        await store.db.insertInto('comments').values({ id, site: 'news', page: '/a', parent_id: null, author_name: null, author_email: null, body: 'b', status, created_at: t, updated_at: t } as never).execute();
      }
    });
    after(async () => dispose?.());

    const flag = (id: string, body: unknown, ip: string, origin: string | undefined = NEWS) =>
      app.request(`/api/comments/${id}/flag`, {
        method: 'POST',
        headers: { ...jsonHeaders, 'x-forwarded-for': ip, ...(origin ? { origin } : {}) },
        body: JSON.stringify(body),
      });

    test('readers flag with a reason; the threshold sends the comment to the flagged queue', async () => {
      const first = await flag(ids.a, { reason: 'spam' }, '198.51.100.1');
      assert.equal(first.status, 201);
      assert.deepEqual(FlagResultSchema.parse(await first.json()), { commentId: ids.a, flags: 1, queued: false });
      const second = FlagResultSchema.parse(await (await flag(ids.a, { reason: 'abuse', detail: '<b>rude</b>' }, '198.51.100.2')).json());
      assert.deepEqual(second, { commentId: ids.a, flags: 2, queued: true });

      const queue = await app.request('/api/admin/flags?site=news', { headers: { authorization: 'Bearer script-token' } });
      assert.equal(queue.status, 200);
      const { items } = (await queue.json()) as { items: Array<{ commentId: string; flags: number }> };
      assert.deepEqual(items.map((i) => [i.commentId, i.flags]), [[ids.a, 2]]);
      // No raw IP stored anywhere.
      const rows = await store.db.selectFrom('flags').selectAll().execute();
      assert.ok(!JSON.stringify(rows).includes('198.51.100'));
    });

    test('one flag per reader per comment; bad input, unknown or deleted comments, foreign origins are refused', async () => {
      await expectError(await flag(ids.a, { reason: 'spam' }, '198.51.100.1'), 409, 'already_flagged');
      await expectError(await flag(ids.b, { reason: 'because' }, '198.51.100.1'), 400, 'validation_failed');
      await expectError(await flag(ids.b, { reason: 'other', detail: 'x'.repeat(501) }, '198.51.100.1'), 400, 'validation_failed');
      await expectError(await flag('not-an-id', { reason: 'spam' }, '198.51.100.1'), 400, 'validation_failed');
      await expectError(await flag(ids.missing, { reason: 'spam' }, '198.51.100.1'), 404, 'not_found');
      await expectError(await flag(ids.gone, { reason: 'spam' }, '198.51.100.1'), 404, 'not_found');
      await expectError(await flag(ids.b, { reason: 'spam' }, '198.51.100.1', 'https://evil.example'), 403, 'origin_not_allowed');
      assert.equal((await flag(ids.b, { reason: 'spam' }, '198.51.100.1', undefined)).status, 201, 'scripts without Origin');
    });

    test('flags from one IP are rate limited', async () => {
      const service = new ModerationService(store, clock, sites);
      let limited: unknown;
      for (let i = 0; i < 25 && !limited; i++) {
        const t = new Date(Date.parse('2026-01-02T00:00:00.000Z') + i).toISOString();
        const id = `01J00000000000000000001${String(i).padStart(3, '0')}`;
        await store.db.insertInto('comments').values({ id, site: 'news', page: '/b', parent_id: null, author_name: null, author_email: null, body: 'b', status: 'visible', created_at: t, updated_at: t } as never).execute();
        await service.flag(id, { reason: 'spam' }, { ip: '203.0.113.77', origin: NEWS }).catch((error: unknown) => (limited = error));
      }
      assert.equal((limited as { code?: string }).code, 'rate_limited');
    });

    test('bans: created by an admin session with CSRF, active until they expire, lifted by id', async () => {
      await new AdminsService(store, clock).createOrUpdate('mod@news.example', 'a long moderator password');
      const login = await app.request('http://parley.local/api/admin/login', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ email: 'mod@news.example', password: 'a long moderator password' }) });
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const cookie = /parley_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
      const service = new ModerationService(store, clock, sites);
      const ipHash = await service.hashFor('203.0.113.5');
      const ban = { site: 'news', kind: 'ip', valueHash: ipHash, reason: 'spammer', durationSeconds: 3600 };

      await expectError(await app.request('http://parley.local/api/admin/bans', { method: 'POST', headers: { ...jsonHeaders, cookie }, body: JSON.stringify(ban) }), 403, 'csrf_failed');
      const created = await app.request('http://parley.local/api/admin/bans', { method: 'POST', headers: { ...jsonHeaders, cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify(ban) });
      assert.equal(created.status, 201);
      const saved = BanSchema.parse(await created.json());
      assert.equal(saved.expiresAt, new Date(clock.now().getTime() + 3_600_000).toISOString());
      await expectError(await app.request('/api/admin/bans', { method: 'POST', headers: { ...jsonHeaders, authorization: 'Bearer script-token' }, body: JSON.stringify({ ...ban, valueHash: '203.0.113.5' }) }), 400, 'validation_failed');

      assert.equal(await service.isBanned('news', { ipHash }), true);
      assert.equal(await service.isBanned('news', { ipHash: await service.hashFor('203.0.113.6') }), false);
      assert.equal(await service.isBanned('open', { ipHash }), false, 'bans are per site');
      assert.equal(await service.isBanned('news', {}), false);
      const listed = await app.request('/api/admin/bans?site=news', { headers: { authorization: 'Bearer script-token' } });
      assert.deepEqual(((await listed.json()) as { items: Array<{ id: string }> }).items.map((b) => b.id), [saved.id]);

      clock.advance(3_600_000);
      assert.equal(await service.isBanned('news', { ipHash }), false, 'expired');

      const permanent = await service.ban({ site: 'news', kind: 'email', valueHash: 'a'.repeat(64) });
      assert.equal(permanent.expiresAt, null);
      assert.equal(await service.isBanned('news', { emailHash: 'a'.repeat(64), ipHash: 'b'.repeat(64) }), true);
      const lifted = await app.request(`http://parley.local/api/admin/bans/${permanent.id}`, { method: 'DELETE', headers: { cookie, 'x-csrf-token': csrfToken } });
      assert.equal(lifted.status, 204);
      assert.equal(await service.isBanned('news', { emailHash: 'a'.repeat(64) }), false);
      await expectError(await app.request(`/api/admin/bans/${permanent.id}`, { method: 'DELETE', headers: { authorization: 'Bearer script-token' } }), 404, 'not_found');
      await expectError(await app.request('/api/admin/bans', { method: 'POST', headers: { ...jsonHeaders, authorization: 'Bearer script-token' }, body: JSON.stringify({ ...ban, site: 'unknown' }) }), 404, 'site_not_found');
    });
  });
}
