import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorBodySchema } from '@parley/schema';
import { createApp } from '../app.ts';
import { createLogger } from '../observability/logger.ts';
import { dialectsUnderTest, jsonHeaders, skipReason } from '../test/helpers.ts';
import type { Store } from '../store/store.ts';
import { answeredRoutes, openApiPath } from './document.ts';
import { RESPONSES } from './responses.ts';

type Operation = { responses: Record<string, unknown>; parameters?: unknown[]; requestBody?: unknown };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

const TOKEN = 'openapi-admin-token';

/** The documented route (Hono spelling) a concrete request path falls under; literal segments beat parameters. */
function routeFor(method: string, path: string, routes: string[]): string | undefined {
  const candidates = routes.filter((key) => {
    const [routeMethod, pattern] = key.split(' ') as [string, string];
    if (routeMethod !== method) return false;
    const regex = new RegExp(`^${pattern.replace(/\/\*$/, '/.*').replace(/:[A-Za-z0-9_]+/g, '[^/]+')}$`);
    return regex.test(path);
  });
  return candidates.sort((a, b) => (a.match(/[:*]/g)?.length ?? 0) - (b.match(/[:*]/g)?.length ?? 0))[0];
}

for (const dialect of await dialectsUnderTest()) {
  describe(`OpenAPI document: ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    let document: Document;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
      app = createApp({ store, config: { adminToken: TOKEN, embedFile: '/nonexistent/embed.js', metricsToken: 'm', secret: 'openapi' }, logger: createLogger({ level: 'silent' }) });
      const response = await app.request('/api/openapi.json');
      assert.equal(response.status, 200);
      document = (await response.json()) as Document;
    });
    after(async () => dispose?.());

    test('is OpenAPI 3.1 and documents every route the app answers, and nothing else', () => {
      assert.equal(document.openapi, '3.1.0');
      const answered = answeredRoutes(app).map((key) => {
        const [method, path] = key.split(' ') as [string, string];
        return `${method.toLowerCase()} ${openApiPath(path)}`;
      }).sort();
      const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`)).sort();
      assert.deepEqual(documented, answered);
      assert.ok(answered.length >= 45, `${answered.length} routes`);
      const stale = Object.keys(RESPONSES).filter((key) => !answeredRoutes(app).includes(key));
      assert.deepEqual(stale, [], 'response docs for routes that do not exist');
      const undescribed = answeredRoutes(app).filter((key) => !RESPONSES[key]);
      assert.deepEqual(undescribed, [], 'every route has its answers described');
    });

    test('request parameters and bodies come from the validators\' own schemas', () => {
      const list = document.paths['/api/comments']!.get!;
      const names = (list.parameters as Array<{ name: string; in: string; required: boolean }>).map((p) => `${p.in}:${p.name}:${p.required}`);
      assert.ok(names.includes('query:page:true') && names.includes('query:sort:false'), names.join(' '));
      const post = document.paths['/api/comments']!.post!.requestBody as { content: { 'application/json': { schema: { required: string[] } } } };
      assert.ok(post.content['application/json'].schema.required.includes('body'));
      const permalink = document.paths['/api/comments/{id}']!.get!;
      assert.ok((permalink.parameters as Array<{ name: string; in: string }>).some((p) => p.in === 'path' && p.name === 'id'));
    });

    test('the answers of a representative run validate against their documented schemas', async () => {
      const routes = answeredRoutes(app);
      const seen = new Set<string>();
      const call = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
        const response = await app.request(url, { method, headers: { ...(body !== undefined ? jsonHeaders : {}), ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
        const path = new URL(url, 'http://x').pathname;
        const route = routeFor(method, path, routes);
        assert.ok(route, `${method} ${path} answered by a documented route`);
        seen.add(route);
        const documented = RESPONSES[route]?.[response.status];
        if (process.env.DEBUG_OPENAPI) console.log(response.status, method, url);
        const type = response.headers.get('content-type') ?? '';
        if (response.status >= 400) {
          assert.ok(ErrorBodySchema.safeParse(await response.json()).success, `${method} ${url}: ${response.status} is the error shape`);
          return response;
        }
        assert.ok(documented, `${method} ${url} answered ${response.status}, which ${route} does not document`);
        if (documented.schema) {
          assert.match(type, /^application\/json/);
          const parsed = documented.schema.safeParse(await response.clone().json());
          assert.ok(parsed.success, `${method} ${url}: ${parsed.error?.message}`);
        }
        return response;
      };
      const admin = { authorization: `Bearer ${TOKEN}` };

      await call('GET', '/healthz');
      await call('GET', '/readyz');
      await call('GET', '/metrics', undefined, { authorization: 'Bearer m' });
      await call('GET', '/api/openapi.json');
      await call('GET', '/api/docs');
      const posted = await (await call('POST', '/api/comments', { page: '/doc', author: { name: 'Ada' }, body: 'A *first* comment', fillMs: 10_000 })).json() as { id: string; editToken: string };
      const reply = await (await call('POST', '/api/comments', { page: '/doc', parentId: posted.id, body: 'A reply', fillMs: 10_000 })).json() as { id: string };
      await call('GET', '/api/comments?page=%2Fdoc');
      await call('GET', `/api/comments/${reply.id}`);
      await call('GET', `/api/comments/${posted.id}/replies`);
      await call('PATCH', `/api/comments/${posted.id}`, { body: 'Edited' }, { 'parley-edit-token': posted.editToken });
      await call('POST', `/api/comments/${posted.id}/like`, { readerId: 'r'.repeat(16).replace(/r/g, 'a1'), liked: true });
      await call('POST', `/api/comments/${posted.id}/flag`, { reason: 'spam' });
      await call('POST', '/api/preview', { body: '**bold**' });
      await call('POST', '/api/counts', { pages: ['/doc', '/none'] });
      await call('GET', '/api/sites/default');
      await call('PUT', '/api/articles', { articles: [{ url: '/doc', title: 'Bees and hives' }, { url: '/hive', title: 'Bees in a hive' }] }, admin);
      await call('GET', '/api/related?page=%2Fdoc');
      await call('PUT', '/api/related/pins', { page: '/doc', pins: ['/hive'] }, admin);
      await call('POST', '/api/related/click', { page: '/doc', target: '/hive' });
      await call('GET', '/api/admin/related/clicks', undefined, admin);
      await call('GET', '/api/admin/related/feedback', undefined, admin);
      await call('GET', '/render/comments?page=%2Fdoc');
      await call('GET', '/render/related?page=%2Fdoc');
      await call('GET', '/api/admin/export?site=default', undefined, admin);
      await call('GET', '/api/admin/me', undefined, admin);
      await call('GET', '/api/admin/sites', undefined, admin);
      await call('GET', '/api/admin/comments?status=all', undefined, admin);
      await call('GET', `/api/admin/comments/${reply.id}`, undefined, admin);
      await call('PATCH', `/api/admin/comments/${reply.id}`, { body: 'Moderated words' }, admin);
      await call('POST', `/api/admin/comments/${reply.id}/pin`, undefined, admin);
      await call('POST', '/api/admin/comments/bulk', { action: 'approve', ids: [reply.id] }, admin);
      const ban = await (await call('POST', `/api/admin/comments/${reply.id}/ban`, { by: 'ip' }, admin)).json() as { id: string };
      await call('GET', '/api/admin/bans?site=default', undefined, admin);
      await call('DELETE', `/api/admin/bans/${ban.id}`, undefined, admin);
      await call('GET', '/api/admin/flags?site=default', undefined, admin);
      await call('PUT', '/api/admin/threads', { page: '/doc', locked: true }, admin);
      await call('GET', '/api/admin/threads?site=default', undefined, admin);
      await call('GET', '/api/admin/stats', undefined, admin);
      await call('GET', '/api/admin/webhooks/deliveries?site=default', undefined, admin);
      await call('POST', '/api/admin/privacy', { email: 'nobody@example.org', kind: 'export' }, admin);
      await call('DELETE', `/api/admin/comments/${reply.id}`, undefined, admin);
      await call('DELETE', '/api/articles?url=%2Fhive', undefined, admin);
      await call('DELETE', `/api/comments/${posted.id}`, undefined, { 'parley-edit-token': posted.editToken });
      await call('GET', '/api/comments/nope');
      // Routes this run leaves out need a mailbox, a browser Origin or a stream; they are
      // covered by their own suites. The rest must have been exercised:
      const elsewhere = new Set([
        'GET /embed.js', 'GET /i18n/:file', 'GET /chunks/:file', 'GET /admin/assets/:file', 'GET /admin/*', // built assets: test/http.test.ts
        'GET /api/stream', // routes/stream.test.ts
        'POST /api/related/impressions', 'POST /api/articles/discover', // browser Origin: related-feedback, discover tests
        'POST /api/admin/import', // an upload: routes/admin-migrate.test.ts
        'POST /api/privacy/requests', 'GET /api/privacy/confirm', 'GET /api/notifications/confirm', 'GET /api/notifications/unsubscribe', 'POST /api/notifications/unsubscribe', // a mailbox: routes/privacy.test.ts
        'POST /render/comments', // a browser form: render/form-post.test.ts
        'POST /api/admin/login', 'POST /api/admin/logout', 'POST /api/admin/bans', // routes/admin.test.ts
      ]);
      const notRun = routes.filter((key) => !seen.has(key) && !elsewhere.has(key));
      assert.deepEqual(notRun, [], `not exercised here nor named as covered elsewhere: ${notRun.join(', ')}`);
    });
  });
}
