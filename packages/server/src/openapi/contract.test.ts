import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { z } from 'zod';
import { API_ROUTES } from '@parley/schema/contract';
import { createApp } from '../app.ts';
import { createLogger } from '../observability/logger.ts';
import { dialectsUnderTest } from '../test/helpers.ts';
import { jsonSchema, routeValidations } from './document.ts';
import { RESPONSES } from './responses.ts';

/**
 * The documented routes the typed clients have no entry for, and why. Everything else the
 * document lists under /api must be in the contract (packages/schema/src/contract.ts).
 */
const NOT_IN_CONTRACT: Record<string, string> = {
  'get /api/stream': 'Server-Sent Events, read with EventSource',
  'get /api/openapi.json': 'the document itself',
  'get /api/docs': 'an HTML page',
  'post /api/admin/import': 'an upload answered with NDJSON progress',
  'get /api/admin/export': 'a file download',
  'get /api/admin/flags': 'no client reads it and its answer has no schema yet',
  'get /api/notifications/confirm': 'opened from an email link',
  'get /api/notifications/unsubscribe': 'opened from an email link',
  'post /api/notifications/unsubscribe': 'a mail client\'s one-click unsubscribe (RFC 8058)',
};

/** Routes whose body a beacon sends: no validator middleware to compare with. */
const BEACONS = ['POST /api/related/click', 'POST /api/related/impressions', 'POST /api/articles/discover'];

type Operation = { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
type Document = { paths: Record<string, Record<string, Operation>> };
type Schemas = { query?: z.ZodType; body?: z.ZodType; params?: z.ZodType; response: z.ZodType | null };

const contract = Object.entries(API_ROUTES as Record<string, Schemas>).map(([route, schemas]) => {
  const [method, path] = route.split(' ') as [string, string];
  return { route, method, path, schemas, hono: `${method} ${path.replace(/\{(\w+)\}/g, ':$1')}` };
});

describe('the API contract the clients are typed from', () => {
  let app: ReturnType<typeof createApp>;
  let document: Document;
  let dispose: () => Promise<void>;

  before(async () => {
    // Routes and schemas do not depend on the database: SQLite is enough.
    const sqlite = (await dialectsUnderTest()).find((dialect) => dialect.name === 'sqlite')!;
    const opened = await sqlite.open();
    dispose = opened.dispose;
    app = createApp({ store: opened.store, config: { adminToken: 'contract', embedFile: '/nonexistent/embed.js', secret: 'contract' }, logger: createLogger({ level: 'silent' }) });
    document = (await (await app.request('/api/openapi.json')).json()) as Document;
  });
  after(async () => dispose?.());

  test('names every /api route of the OpenAPI document, with the same method and path, and no other', () => {
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    const inContract = contract.map(({ method, path }) => `${method.toLowerCase()} ${path}`);
    assert.deepEqual(inContract.filter((route) => !documented.includes(route)), [], 'contract routes the server does not answer');
    const missing = documented.filter((route) => route.includes(' /api/') && !inContract.includes(route) && !NOT_IN_CONTRACT[route]);
    assert.deepEqual(missing, [], 'documented routes neither in the contract nor in NOT_IN_CONTRACT');
    const stale = Object.keys(NOT_IN_CONTRACT).filter((route) => !documented.includes(route) || inContract.includes(route));
    assert.deepEqual(stale, [], 'NOT_IN_CONTRACT entries that are gone or are in the contract');
  });

  test('each route answers with the very schema the document describes (void for a 204)', () => {
    for (const { route, method, path, schemas, hono } of contract) {
      const successes = Object.entries(RESPONSES[hono] ?? {}).filter(([status]) => +status < 300);
      assert.ok(successes.length, `${route}: RESPONSES has no success answer`);
      for (const [status, doc] of successes) {
        if (schemas.response === null) {
          assert.equal(doc.mediaType, 'none', `${route} ${status}: the contract says no body`);
          continue;
        }
        assert.equal(doc.schema, schemas.response, `${route} ${status}: RESPONSES uses another schema than the contract`);
        const described = document.paths[path]![method.toLowerCase()]!.responses[status]!.content?.['application/json']?.schema;
        assert.deepEqual(described, jsonSchema(schemas.response, 'output'), `${route} ${status}: the document describes another shape`);
      }
      if (schemas.response === null) assert.ok(successes.some(([status]) => status === '204'), `${route}: void, so a 204`);
    }
  });

  test('each route takes the query, body and path parameters its validators check', () => {
    const validations = routeValidations(app);
    const targets = { json: 'body', query: 'query', param: 'params' } as const;
    for (const { route, schemas, hono } of contract) {
      for (const { target, schema } of validations.get(hono) ?? []) {
        const key = targets[target as keyof typeof targets];
        if (!key) continue;
        // An id parameter is a plain string in the contract: only narrower ones (an action) are spelled out.
        if (key === 'params' && !schemas.params) continue;
        assert.equal(schemas[key], schema, `${route}: its ${key} is not the schema the route validates ${target} with`);
      }
      for (const key of ['query', 'body', 'params'] as const) {
        const validated = (validations.get(hono) ?? []).some(({ target }) => targets[target as keyof typeof targets] === key);
        // Beacons parse their body in the handler (sendBeacon sends text/plain), with the contract's schema.
        const beacon = key === 'body' && BEACONS.includes(route);
        if (schemas[key] && !beacon) assert.ok(validated, `${route}: the contract has a ${key} the route does not validate`);
      }
    }
  });
});
