import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AdminMeSchema, AdminSessionSchema, ErrorBodySchema, type ErrorBody } from '@parley/schema';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { startServer } from '../server.ts';
import { AdminsService, LOGIN_MAX_FAILURES } from '../services/admins.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason, tempDir } from '../test/helpers.ts';

const EMAIL = 'ops@news.example';
const PASSWORD = 'a perfectly long password';

function cookieOf(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  const match = /parley_session=([^;]+)/.exec(header);
  assert.ok(match, `no session cookie in "${header}"`);
  return `parley_session=${match[1]}`;
}

for (const dialect of await dialectsUnderTest()) {
  describe(`admin login and sessions on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const clock = manualClock();

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      await new AdminsService(store, clock).createOrUpdate(EMAIL, PASSWORD);
      app = createApp({ store, clock, config: { adminToken: 'script-token', embedFile: '/nonexistent' }, logError: () => {} });
    });
    after(async () => dispose?.());

    const login = (email: string, password: string, headers: Record<string, string> = {}) =>
      app.request('http://parley.local/api/admin/login', { method: 'POST', headers: { ...jsonHeaders, ...headers }, body: JSON.stringify({ email, password }) });

    test('login sets an HttpOnly SameSite=Strict cookie and returns a CSRF token; /me knows the session', async () => {
      const response = await login('OPS@news.example', PASSWORD);
      assert.equal(response.status, 200);
      const session = AdminSessionSchema.parse(await response.json());
      assert.equal(session.admin.email, EMAIL);
      const setCookie = response.headers.get('set-cookie') ?? '';
      assert.match(setCookie, /HttpOnly/);
      assert.match(setCookie, /SameSite=Strict/);
      assert.match(setCookie, /Path=\//);
      assert.doesNotMatch(setCookie, /Secure/, 'plain http without config: not Secure');
      assert.equal(response.headers.get('cache-control'), 'no-store');

      const me = await app.request('http://parley.local/api/admin/me', { headers: { cookie: cookieOf(response) } });
      assert.equal(me.status, 200);
      assert.deepEqual(AdminMeSchema.parse(await me.json()), { via: 'session', admin: session.admin, csrfToken: session.csrfToken });
      // The cookie value is not what is stored.
      const rows = await store.db.selectFrom('admin_sessions').select('id').execute();
      assert.ok(rows.every((row) => !setCookie.includes(row.id)));
    });

    test('over https the cookie is Secure', async () => {
      const response = await app.request('https://parley.example/api/admin/login', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('set-cookie') ?? '', /Secure/);
    });

    test('unknown email and wrong password give the same 401', async () => {
      // Alike but for the request id, which is each request's own.
      const withoutId = ({ error: { requestId: _id, ...error } }: ErrorBody) => ({ error });
      const unknown = withoutId(ErrorBodySchema.parse(await (await login('nobody@news.example', PASSWORD)).json()));
      const wrong = withoutId(ErrorBodySchema.parse(await (await login(EMAIL, 'not the password')).json()));
      assert.deepEqual(unknown, wrong);
      assert.equal(wrong.error.code, 'invalid_credentials');
    });

    test('the bearer token keeps working; no credentials is 401', async () => {
      const me = await app.request('/api/admin/me', { headers: { authorization: 'Bearer script-token' } });
      assert.deepEqual(await me.json(), { via: 'token' });
      assert.equal((await app.request('/api/admin/me', { headers: { authorization: 'Bearer wrong' } })).status, 401);
      assert.equal((await app.request('/api/admin/me')).status, 401);
    });

    test('state changes by session need the CSRF header and the same origin', async () => {
      const response = await login(EMAIL, PASSWORD);
      const { csrfToken } = AdminSessionSchema.parse(await response.json());
      const cookie = cookieOf(response);
      const logout = (headers: Record<string, string>) => app.request('http://parley.local/api/admin/logout', { method: 'POST', headers: { cookie, ...headers } });

      const missing = await logout({});
      assert.equal(missing.status, 403);
      assert.equal(ErrorBodySchema.parse(await missing.json()).error.code, 'csrf_failed');
      assert.equal((await logout({ 'x-csrf-token': 'x'.repeat(43) })).status, 403);
      assert.equal((await logout({ 'x-csrf-token': csrfToken, origin: 'https://evil.example' })).status, 403);
      assert.equal((await logout({ 'x-csrf-token': csrfToken, 'sec-fetch-site': 'cross-site' })).status, 403);
      const ok = await logout({ 'x-csrf-token': csrfToken, origin: 'http://parley.local', 'sec-fetch-site': 'same-origin' });
      assert.equal(ok.status, 204);
      assert.equal((await app.request('http://parley.local/api/admin/me', { headers: { cookie } })).status, 401, 'the session is gone');
    });

    test('a cross-site login is refused (login CSRF)', async () => {
      assert.equal((await login(EMAIL, PASSWORD, { origin: 'https://evil.example' })).status, 403);
    });

    test('sessions expire', async () => {
      const response = await login(EMAIL, PASSWORD);
      const cookie = cookieOf(response);
      clock.advance(12 * 60 * 60 * 1000 + 1);
      assert.equal((await app.request('/api/admin/me', { headers: { cookie } })).status, 401);
    });

    test(`after ${LOGIN_MAX_FAILURES} failures: 429 with Retry-After, even for the right password, until the window ends`, async () => {
      const victim = 'victim@news.example';
      await new AdminsService(store, clock).createOrUpdate(victim, PASSWORD);
      for (let i = 0; i < LOGIN_MAX_FAILURES; i++) assert.equal((await login(victim, `wrong ${i}`)).status, 401);
      const blocked = await login(victim, PASSWORD);
      assert.equal(blocked.status, 429);
      assert.equal(ErrorBodySchema.parse(await blocked.json()).error.code, 'rate_limited');
      assert.equal(blocked.headers.get('retry-after'), String(15 * 60));
      assert.equal((await login(EMAIL, PASSWORD)).status, 200, 'another account is not affected');
      clock.advance(15 * 60 * 1000);
      assert.equal((await login(victim, PASSWORD)).status, 200);
    });
  });
}

describe('unattended admin over real HTTP', () => {
  const temp = tempDir();
  after(() => temp.remove());

  test('PARLEY_ADMIN_EMAIL + PARLEY_ADMIN_PASSWORD create an admin at start who can log in', async () => {
    const config = loadConfig({
      PORT: '0',
      DATABASE_URL: `file:${path.join(temp.dir, 'db.sqlite')}`,
      PARLEY_ADMIN_EMAIL: EMAIL,
      PARLEY_ADMIN_PASSWORD: PASSWORD,
      PARLEY_SECURE_COOKIES: 'true',
    });
    const server = await startServer(config, { quiet: true });
    try {
      const response = await fetch(`${server.url}/api/admin/login`, { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('set-cookie') ?? '', /; Secure/);
    } finally {
      await server.close();
    }
  });
});
