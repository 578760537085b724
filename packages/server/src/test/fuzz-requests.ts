import fc from 'fast-check';

/**
 * Generators of hostile requests for the fuzz suite: every route, with bodies that are near-valid
 * (a valid sample with one field replaced by something nasty), arbitrary JSON, deep JSON, non-JSON,
 * and odd content types; ids and query strings from the same nasty pool.
 */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const NASTY_STRINGS = [
  '',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '💥'.repeat(3),
  '<img src=x onerror=alert(1)>',
  "'; DROP TABLE comments; --",
  '../../etc/passwd',
  '%00',
  '%',
  '%E0%A4%A',
  ' '.repeat(3),
  'x'.repeat(20_000),
  'default',
  '/a',
  'top',
  '01J00000000000000000000000',
  '2026-01-01T00:00:00.000Z',
];

const NASTY_NUMBERS = [0, -1, 1, 3_000_000_000, 2 ** 53 + 1, 1e308, -1e308, 0.5, Number.MAX_SAFE_INTEGER];

export const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', 'a', '/', '%', '+', '&', '=', '?', '#'), maxLength: 20 }) },
);

const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY_NUMBERS) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '\u0000': 1 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** `[[[[…]]]]` of `depth` levels: the JSON parser's and every walker's stack. */
function deepJson(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

const SAMPLES: Record<string, Record<string, unknown>> = {
  comment: { site: 'default', page: '/fuzz', body: 'hello', author: { name: 'Ann', email: 'ann@example.org' } },
  edit: { site: 'default', body: 'edited' },
  like: { site: 'default', readerId: 'r'.repeat(20), liked: true },
  flag: { reason: 'spam', detail: 'why' },
  counts: { site: 'default', pages: ['/a', '/b'] },
  preview: { body: '**hi**' },
  click: { site: 'default', from: '/a', to: '/b' },
  discover: { site: 'default', url: 'https://news.example/a', title: 'A' },
  articles: { site: 'default', articles: [{ url: 'https://news.example/a', title: 'A' }] },
  pins: { site: 'default', page: '/a', urls: ['https://news.example/b'] },
  login: { email: 'a@b.example', password: 'password-password' },
  ban: { site: 'default', kind: 'ip', valueHash: 'a'.repeat(64), reason: 'r' },
  bulk: { site: 'default', ids: ['01J00000000000000000000000'], action: 'approve' },
  adminEdit: { body: 'x' },
  banFromComment: { by: 'ip', reason: 'r' },
  thread: { site: 'default', page: '/a', locked: true },
  privacy: { site: 'default', email: 'a@b.example', action: 'export' },
  privacyRequest: { site: 'default', email: 'a@b.example', kind: 'export' },
};

/** Near-valid bodies: the sample with one field (possibly nested, possibly new) set to something nasty. */
function mutated(sample: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = [...Object.keys(sample), 'extra', '__proto__'];
  // Otherwise-valid values with one bad character slipped in: what reaches the database if a check is missing.
  const slipped = fc.tuple(fc.constantFrom(...Object.keys(sample)), fc.constantFrom('\u0000', '\ud800', '\udc00', '\u0000\u0000', '💥'), fc.nat()).map(([key, char, at]) => {
    const copy: Record<string, unknown> = JSON.parse(JSON.stringify(sample));
    const insert = (text: string) => text.slice(0, at % (text.length + 1)) + char + text.slice(at % (text.length + 1));
    const value = copy[key];
    if (typeof value === 'string') copy[key] = insert(value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, text] of Object.entries(value)) if (typeof text === 'string') (value as Record<string, unknown>)[inner] = insert(text);
    } else if (Array.isArray(value)) copy[key] = value.map((item) => (typeof item === 'string' ? insert(item) : item));
    return copy;
  });
  const replaced = fc.tuple(fc.constantFrom(...keys), nastyValue, fc.boolean()).map(([key, value, nested]) => {
    const copy: Record<string, unknown> = JSON.parse(JSON.stringify(sample));
    const own = Object.hasOwn(copy, key) ? copy[key] : undefined;
    if (nested && own && typeof own === 'object' && !Array.isArray(own)) (own as Record<string, unknown>).name = value;
    else if (nested && Array.isArray(own)) own.push(value);
    // An own property even for `__proto__` (as JSON.parse makes it), never the prototype of the test's objects.
    else Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
    return copy;
  });
  return fc.oneof({ weight: 2, arbitrary: replaced }, { weight: 1, arbitrary: slipped });
}

const body = (sample: keyof typeof SAMPLES): fc.Arbitrary<{ text: string; contentType: string }> =>
  fc.oneof(
    { weight: 6, arbitrary: mutated(SAMPLES[sample]!).map((value) => ({ text: JSON.stringify(value), contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => ({ text: JSON.stringify(value), contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 5_000 }).map((depth) => ({ text: deepJson(depth), contentType: 'application/json' })) },
    { weight: 1, arbitrary: nastyString.map((text) => ({ text, contentType: 'application/json' })) },
    {
      weight: 1,
      arbitrary: fc.tuple(mutated(SAMPLES[sample]!), fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/merge-patch+json', '', 'application/json;;')).map(
        ([value, contentType]) => ({ text: JSON.stringify(value), contentType }),
      ),
    },
  );

const QUERY_KEYS = ['site', 'page', 'sort', 'cursor', 'limit', 'avatars', 'q', 'status', 'author', 'url', 'days', 'token', 'lastEventId', 'pages'];

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) goes out as its WTF-8 bytes
 * (`%ED%A0%80`): what a sloppy client sends, and invalid UTF-8 for the server to cope with.
 */
export function encodeLoose(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

export const query: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), nastyString), fc.oneof(nastyString, fc.constantFrom(...NASTY_NUMBERS).map(String))), { maxLength: 4 })
  .map((pairs) => pairs.map(([key, value]) => `${encodeLoose(key)}=${encodeLoose(value)}`).join('&'));

/** A path segment: a real id, a well-formed unknown one, or anything (percent-encoded). */
const segment = (realIds: () => string[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(null).map(() => realIds()[0] ?? '01J00000000000000000000000'),
    fc.constantFrom('01J00000000000000000000000', 'approve', 'delete', 'spam'),
    nastyString.map((value) => encodeLoose(value) || 'x'),
  );

export interface Route {
  name: string;
  request: fc.Arbitrary<FuzzRequest>;
}

const ADMIN = 'fuzz-admin-token';
export const FUZZ_ADMIN_TOKEN = ADMIN;

/** One generator per route (method + path pattern) the app answers. */
export function routes(realIds: () => string[]): Route[] {
  const id = segment(realIds);
  const withBody = (method: string, path: fc.Arbitrary<string>, sample: keyof typeof SAMPLES, admin = false): fc.Arbitrary<FuzzRequest> =>
    fc.tuple(path, body(sample), fc.option(query, { nil: undefined }), fc.boolean()).map(([p, b, q, withKey]) => ({
      method,
      path: q ? `${p}?${q}` : p,
      headers: { 'content-type': b.contentType, ...(admin ? { authorization: `Bearer ${ADMIN}` } : {}), ...(withKey ? { 'idempotency-key': 'fuzz-key' } : {}) },
      body: b.text,
    }));
  const get = (path: fc.Arbitrary<string>, admin = false, method = 'GET'): fc.Arbitrary<FuzzRequest> =>
    fc.tuple(path, query).map(([p, q]): FuzzRequest => ({ method, path: `${p}?${q}`, headers: admin ? { authorization: `Bearer ${ADMIN}` } : {} }));
  const at = (path: string) => fc.constant(path);
  const under = (prefix: string, suffix = '') => id.map((value) => `${prefix}${value}${suffix}`);
  return [
    { name: 'GET /api/comments', request: get(at('/api/comments')) },
    { name: 'POST /api/comments', request: withBody('POST', at('/api/comments'), 'comment') },
    { name: 'GET /api/comments/:id', request: get(under('/api/comments/')) },
    { name: 'GET /api/comments/:id/replies', request: get(under('/api/comments/', '/replies')) },
    { name: 'PATCH /api/comments/:id', request: withBody('PATCH', under('/api/comments/'), 'edit') },
    { name: 'DELETE /api/comments/:id', request: get(under('/api/comments/'), false, 'DELETE') },
    { name: 'POST /api/comments/:id/like', request: withBody('POST', under('/api/comments/', '/like'), 'like') },
    { name: 'POST /api/comments/:id/flag', request: withBody('POST', under('/api/comments/', '/flag'), 'flag') },
    { name: 'POST /api/counts', request: withBody('POST', at('/api/counts'), 'counts') },
    { name: 'POST /api/preview', request: withBody('POST', at('/api/preview'), 'preview') },
    { name: 'GET /api/related', request: get(at('/api/related')) },
    { name: 'POST /api/related/click', request: withBody('POST', at('/api/related/click'), 'click') },
    { name: 'PUT /api/related/pins', request: withBody('PUT', at('/api/related/pins'), 'pins', true) },
    { name: 'PUT /api/articles', request: withBody('PUT', at('/api/articles'), 'articles', true) },
    { name: 'DELETE /api/articles', request: get(at('/api/articles'), true, 'DELETE') },
    { name: 'POST /api/articles/discover', request: withBody('POST', at('/api/articles/discover'), 'discover') },
    { name: 'GET /api/sites/:id', request: get(under('/api/sites/')) },
    { name: 'POST /api/privacy/requests', request: withBody('POST', at('/api/privacy/requests'), 'privacyRequest') },
    { name: 'GET /api/privacy/confirm', request: get(at('/api/privacy/confirm')) },
    { name: 'GET /api/notifications/unsubscribe', request: get(at('/api/notifications/unsubscribe')) },
    { name: 'POST /api/admin/login', request: withBody('POST', at('/api/admin/login'), 'login') },
    { name: 'GET /api/admin/comments', request: get(at('/api/admin/comments'), true) },
    { name: 'GET /api/admin/comments/:id', request: get(under('/api/admin/comments/'), true) },
    { name: 'PATCH /api/admin/comments/:id', request: withBody('PATCH', under('/api/admin/comments/'), 'adminEdit', true) },
    { name: 'POST /api/admin/comments/:id/:action', request: fc.tuple(id, id).map(([a, b]): FuzzRequest => ({ method: 'POST', path: `/api/admin/comments/${a}/${b}`, headers: { authorization: `Bearer ${ADMIN}` } })) },
    { name: 'POST /api/admin/comments/:id/ban', request: withBody('POST', under('/api/admin/comments/', '/ban'), 'banFromComment', true) },
    { name: 'POST /api/admin/comments/bulk', request: withBody('POST', at('/api/admin/comments/bulk'), 'bulk', true) },
    { name: 'POST /api/admin/bans', request: withBody('POST', at('/api/admin/bans'), 'ban', true) },
    { name: 'DELETE /api/admin/bans/:id', request: get(under('/api/admin/bans/'), true, 'DELETE') },
    { name: 'GET /api/admin/flags|bans|stats|threads', request: get(fc.constantFrom('/api/admin/flags', '/api/admin/bans', '/api/admin/stats', '/api/admin/threads', '/api/admin/webhooks/deliveries'), true) },
    { name: 'PUT /api/admin/threads', request: withBody('PUT', at('/api/admin/threads'), 'thread', true) },
    { name: 'POST /api/admin/privacy', request: withBody('POST', at('/api/admin/privacy'), 'privacy', true) },
    { name: 'any method, any path', request: fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'), nastyString).map(([method, path]) => ({ method, path: `/api/${encodeLoose(path)}`, headers: {} as Record<string, string> })) },
  ];
}
