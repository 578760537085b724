import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LOGIN_ACCOUNT_MAX_FAILURES, LOGIN_MAX_FAILURES, AdminsService } from '../services/admins.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, skipReason } from '../test/helpers.ts';
import { bearer, postComment, securityApp, twoSites } from './helpers.ts';

/**
 * Issue 14, points 6 and 8 (login): "approved before" needs the author's own token, not just their
 * email; failed logins are capped per account across addresses, not only per address.
 */
for (const dialect of await dialectsUnderTest()) {
  describe(`security: reader identity and login throttling on ${dialect.name}`, { skip: skipReason(dialect), timeout: 180_000 }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof securityApp>['app'];

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      ({ app } = securityApp(store, { sites: twoSites({ news: { moderation: 'first-time' } }) }));
    });
    after(async () => dispose?.());

    test('6: first-time: Bob\'s email without Bob\'s author token is held (a moderator decides)', async () => {
      const bob = { name: 'Bob', email: 'bob@news.example' };
      const first = await postComment(app, { body: 'Bob\'s first', author: bob }, { status: 202 });
      assert.match(first.authorToken, /^[0-9A-HJKMNP-TV-Z]{26}\.[0-9a-f]{43}$/);
      const approved = await app.request(`/api/admin/comments/${first.id}/approve`, { method: 'POST', headers: bearer });
      assert.equal(approved.status, 200);

      // The impostor: Bob's address, no token → held.
      const impostor = await postComment(app, { body: 'Totally Bob', author: bob }, { status: 202 });
      // A token of the impostor's own (held) comment does not help, nor a forged or another email's one.
      await postComment(app, { body: 'Still Bob', author: bob, authorToken: impostor.authorToken }, { status: 202 });
      await postComment(app, { body: 'Forged Bob', author: bob, authorToken: `${first.id}.${'0'.repeat(43)}` }, { status: 202 });
      await postComment(app, { body: 'Wrong mail', author: { name: 'Eve', email: 'eve@evil.example' }, authorToken: first.authorToken }, { status: 202 });
      // A token is for its site only.
      await postComment(app, { site: 'blog', body: 'Bob on blog', author: bob, authorToken: first.authorToken }, { status: 201 });

      // Bob, with the token his browser kept: published at once.
      const again = await postComment(app, { body: 'Bob again', author: bob, authorToken: first.authorToken }, { status: 201 });
      assert.equal(again.status, 'visible');
      // Once his approved comment is removed, the token proves nothing any more.
      assert.equal((await app.request(`/api/admin/comments/${first.id}/reject`, { method: 'POST', headers: bearer })).status, 200);
      await postComment(app, { body: 'Bob, later', author: bob, authorToken: first.authorToken }, { status: 202 });
    });

    test(`8: more than ${LOGIN_ACCOUNT_MAX_FAILURES} failures for one account from many addresses lock it (429), even with the right password`, async () => {
      const password = 'correct horse battery staple';
      await new AdminsService(store, { now: () => new Date('2026-09-01T10:00:00.000Z') }).createOrUpdate('owner@news.example', password);
      const login = (pass: string, ip: string) =>
        app.request('http://parley.local/api/admin/login', { method: 'POST', headers: { ...jsonHeaders, 'x-forwarded-for': ip }, body: JSON.stringify({ email: 'owner@news.example', password: pass }) });
      assert.ok(LOGIN_ACCOUNT_MAX_FAILURES > LOGIN_MAX_FAILURES);
      // Each address stays under the per-address cap.
      for (let i = 0; i < LOGIN_ACCOUNT_MAX_FAILURES; i++) {
        assert.equal((await login('wrong guess', `192.0.2.${i + 1}`)).status, 401);
      }
      const locked = await login(password, '198.51.100.200');
      assert.equal(locked.status, 429);
      assert.ok(Number(locked.headers.get('retry-after')) > 0);
    });
  });
}
