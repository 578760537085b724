import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminMeSchema, AdminSessionSchema, AdminSitesResponseSchema } from '@parley/schema';
import { runCli } from '../cli.ts';
import { AdminsService } from '../services/admins.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, jsonHeaders, manualClock, skipReason } from '../test/helpers.ts';
import { bearer, postComment, securityApp, twoSites } from './helpers.ts';

const PASSWORD = 'moderator password 123';
const HASH = 'a'.repeat(64);

/**
 * Issue 14, point 7: owners manage every site; a moderator of `news` gets 403 (site named) or 404
 * (record addressed by id) on everything of `blog`: comments, actions, bans, webhook log, stats,
 * exports, related clicks — and `blog` is not in their console's site list.
 */
for (const dialect of await dialectsUnderTest()) {
  describe(`security: roles on ${dialect.name}`, { skip: skipReason(dialect), timeout: 180_000 }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let url: string;
    let app: ReturnType<typeof securityApp>['app'];
    let session: { cookie: string; csrf: string };
    let blogComment: string;
    let newsComment: string;
    let blogBan: string;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose, url } = await dialect.open());
      const hook = { url: 'https://hooks.example/in', secret: 'a-webhook-secret-of-16+' };
      ({ app } = securityApp(store, { sites: twoSites({ news: { webhooks: [hook] }, blog: { webhooks: [hook] } }) }));
      await new AdminsService(store, manualClock()).createOrUpdate('mod@news.example', PASSWORD, { role: 'moderator', sites: ['news'] });
      const login = await app.request('http://parley.local/api/admin/login', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ email: 'mod@news.example', password: PASSWORD }) });
      assert.equal(login.status, 200);
      const body = AdminSessionSchema.parse(await login.json());
      assert.deepEqual([body.admin.role, body.admin.sites], ['moderator', ['news']]);
      session = { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: body.csrfToken };
      blogComment = (await postComment(app, { site: 'blog', body: 'On the blog', author: { name: 'B', email: 'b@reader.example' } }, { status: 201 })).id;
      newsComment = (await postComment(app, { site: 'news', body: 'On the news', author: { name: 'N', email: 'n@reader.example' } }, { status: 201 })).id;
      const ban = await app.request('/api/admin/bans', { method: 'POST', headers: { ...jsonHeaders, ...bearer }, body: JSON.stringify({ site: 'blog', kind: 'email', valueHash: HASH }) });
      assert.equal(ban.status, 201);
      blogBan = ((await ban.json()) as { id: string }).id;
    });
    after(async () => dispose?.());

    const asModerator = (method: string, path: string, body?: unknown) =>
      app.request(`http://parley.local${path}`, {
        method,
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...(body === undefined ? {} : jsonHeaders) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    test('a moderator of news is refused everything of blog', async () => {
      const refused: Array<[string, string, unknown?]> = [
        ['GET', '/api/admin/comments?site=blog&status=all'],
        ['GET', `/api/admin/comments/${blogComment}`],
        ['PATCH', `/api/admin/comments/${blogComment}`, { body: 'rewritten' }],
        ['POST', `/api/admin/comments/${blogComment}/reject`],
        ['POST', `/api/admin/comments/${blogComment}/ban`, { by: 'email' }],
        ['DELETE', `/api/admin/comments/${blogComment}`],
        ['POST', '/api/admin/comments/bulk', { site: 'blog', ids: [blogComment], action: 'reject' }],
        ['GET', '/api/admin/flags?site=blog'],
        ['GET', '/api/admin/bans?site=blog'],
        ['POST', '/api/admin/bans', { site: 'blog', kind: 'ip', valueHash: 'b'.repeat(64) }],
        ['DELETE', `/api/admin/bans/${blogBan}`],
        ['GET', '/api/admin/webhooks/deliveries?site=blog'],
        ['GET', '/api/admin/stats?site=blog'],
        ['GET', '/api/admin/threads?site=blog'],
        ['PUT', '/api/admin/threads', { site: 'blog', page: '/p', locked: true }],
        ['POST', '/api/admin/privacy', { site: 'blog', email: 'b@reader.example', kind: 'export' }],
        ['GET', '/api/admin/related/clicks?site=blog'],
      ];
      for (const [method, path, body] of refused) {
        const response = await asModerator(method, path, body);
        assert.ok(response.status === 403 || response.status === 404, `${method} ${path} answered ${response.status}: ${await response.clone().text()}`);
      }
      // Nothing of blog changed.
      const row = await store.db.selectFrom('comments').select(['status', 'body']).where('id', '=', blogComment).executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'visible', body: 'On the blog' });
      assert.equal((await store.db.selectFrom('bans').select('id').where('id', '=', blogBan).execute()).length, 1);
    });

    test('the same moderator does their own site\'s work, and sees only it', async () => {
      assert.equal((await asModerator('GET', '/api/admin/comments?site=news&status=all')).status, 200);
      assert.equal((await asModerator('GET', `/api/admin/comments/${newsComment}`)).status, 200);
      assert.equal((await asModerator('GET', '/api/admin/bans?site=news')).status, 200);
      assert.equal((await asModerator('GET', '/api/admin/webhooks/deliveries?site=news')).status, 200);
      assert.equal((await asModerator('GET', '/api/admin/stats?site=news')).status, 200);
      assert.equal((await asModerator('POST', '/api/admin/privacy', { site: 'news', email: 'n@reader.example', kind: 'export' })).status, 200);
      assert.equal((await asModerator('POST', `/api/admin/comments/${newsComment}/reject`)).status, 200);
      const sites = AdminSitesResponseSchema.parse(await (await asModerator('GET', '/api/admin/sites')).json());
      assert.deepEqual(sites.sites.map((site) => site.id), ['news']);
      const me = AdminMeSchema.parse(await (await asModerator('GET', '/api/admin/me')).json());
      assert.ok(me.via === 'session' && me.admin.role === 'moderator');
      // The bearer token is an owner: every site.
      const all = AdminSitesResponseSchema.parse(await (await app.request('/api/admin/sites', { headers: bearer })).json());
      assert.deepEqual(all.sites.map((site) => site.id).sort(), ['blog', 'news']);
      assert.equal((await app.request(`/api/admin/comments/${blogComment}`, { headers: bearer })).status, 200);
    });

    test('parley admin create --role moderator --site ID; accounts without a role are owners', async () => {
      const out: string[] = [];
      const io = { env: { DATABASE_URL: '', PARLEY_ADMIN_PASSWORD: PASSWORD }, out: (line: string) => out.push(line), err: (line: string) => out.push(line) };
      // The CLI opens its own store by DATABASE_URL: the SQLite file (the PostgreSQL run uses a private schema).
      if (dialect.name === 'sqlite') {
        io.env.DATABASE_URL = url;
        assert.equal(await runCli(['admin', 'create', '--email', 'cli-mod@news.example', '--role', 'moderator', '--site', 'news'], io), 0, out.join('\n'));
        assert.match(out.join('\n'), /moderator of news/);
      }
      const admins = new AdminsService(store, manualClock());
      const { admin } = await admins.createOrUpdate('plain@news.example', PASSWORD);
      assert.deepEqual([admin.role, admin.sites], ['owner', []]);
      await assert.rejects(admins.createOrUpdate('nosite@news.example', PASSWORD, { role: 'moderator' }), /needs at least one site/);
    });
  });
}
