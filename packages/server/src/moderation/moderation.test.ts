import assert from 'node:assert/strict';
import { remembered } from '../store/later-writes.ts';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { parseSitesConfig, type SiteSettings } from '../sites/config.ts';
import { authorHasApprovedComment } from '../store/authors.repository.ts';
import { pruneFingerprints, recordFingerprint, seenRecently } from '../store/fingerprints.repository.ts';
import type { Store } from '../store/store.ts';
import { dialectsUnderTest, skipReason } from '../test/helpers.ts';
import {
  AkismetSpamCheck,
  countLinks,
  findBlockedWord,
  honeypotTripped,
  moderate,
  normalisedBodyHash,
  spamCheckFor,
  submittedTooFast,
  type SpamCheck,
} from './index.ts';

function site(overrides: Record<string, unknown> = {}): SiteSettings {
  return parseSitesConfig({ sites: [{ id: 'news', ...overrides }] }, 'test').sites[0]!;
}

describe('rules', () => {
  test('countLinks', () => {
    assert.equal(countLinks('no links here, just a.b'), 0);
    assert.equal(countLinks('see https://a.example/x and http://b.example, or www.c.example'), 3);
    assert.equal(countLinks('[x](https://a.example) <https://b.example>'), 2);
    assert.equal(countLinks('HTTPS://SHOUT.EXAMPLE'), 1);
  });

  const blocked: Array<[string, string[], string | undefined]> = [
    ['Buy VIAGRA now', ['viagra'], 'viagra'],
    ['a classic class', ['ass'], undefined],
    ['the word ass alone', ['ass'], 'ass'],
    ['Straße in Köln', ['strasse', 'KÖLN'], 'KÖLN'],
    ['kölnisch wasser', ['köln'], undefined],
    ['пиши СПАМ сюда', ['спам'], 'спам'],
    ['free   money!', ['free money'], 'free money'],
    ['ｆｒｅｅ', ['free'], 'free'],
    ['a (regex) word', ['(regex)'], '(regex)'],
    ['nothing to see', [], undefined],
  ];
  for (const [text, words, expected] of blocked) {
    test(`findBlockedWord(${JSON.stringify(text)}, ${JSON.stringify(words)}) → ${expected}`, () => {
      assert.equal(findBlockedWord(text, words), expected);
    });
  }

  test('normalisedBodyHash folds case, spacing and punctuation, not words', () => {
    assert.equal(normalisedBodyHash('Great post!!!'), normalisedBodyHash('  great   POST . '));
    assert.notEqual(normalisedBodyHash('Great post'), normalisedBodyHash('Great posts'));
  });

  test('honeypot and fill time', () => {
    assert.equal(honeypotTripped(undefined), false);
    assert.equal(honeypotTripped(''), false);
    assert.equal(honeypotTripped('http://spam.example'), true);
    assert.equal(submittedTooFast(2_000, 3), true);
    assert.equal(submittedTooFast(2_999, 3), true);
    assert.equal(submittedTooFast(3_000, 3), false);
    assert.equal(submittedTooFast(0, 3), true, 'sent the instant it was shown');
    assert.equal(submittedTooFast(undefined, 3), false, 'not measured (API clients)');
    assert.equal(submittedTooFast(Number.NaN, 3), true, 'nonsense counts as too fast');
    assert.equal(submittedTooFast(0, 0), false, 'check off');
    assert.equal(submittedTooFast(undefined, 0), false, 'check off');
  });
});

describe('moderate', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  const base = { body: 'A thoughtful comment', fillMs: 30_000 };
  const ctx = { ip: '203.0.113.9', now };
  const fixed = (verdict: 'ham' | 'spam' | 'unknown'): SpamCheck & { calls: number } => ({
    name: 'fixed',
    calls: 0,
    async check() {
      this.calls++;
      return verdict;
    },
  });

  test('open site, clean comment → publish', async () => {
    assert.deepEqual(await moderate(base, site(), ctx), { decision: 'publish', reasonCode: 'ok', reason: 'Published.' });
  });

  test('bot traps reject before anything costs a query', async () => {
    let asked = false;
    const spy = { ...ctx, isBanned: async () => ((asked = true), false) };
    assert.equal((await moderate({ ...base, honeypot: 'x' }, site(), spy)).reasonCode, 'honeypot');
    assert.equal((await moderate({ ...base, fillMs: 500 }, site(), spy)).reasonCode, 'too_fast');
    assert.equal(asked, false);
    assert.equal((await moderate({ ...base, honeypot: 'x' }, site({ honeypot: false }), ctx)).decision, 'publish');
  });

  test('ban, duplicate and links reject with a reason safe to show', async () => {
    assert.equal((await moderate(base, site(), { ...ctx, isBanned: async () => true })).reasonCode, 'banned');
    const dup = await moderate(base, site(), { ...ctx, isDuplicate: async () => true });
    assert.deepEqual([dup.decision, dup.reasonCode], ['reject', 'duplicate']);
    const links = await moderate({ ...base, body: 'https://a.example https://b.example' }, site({ maxLinks: 1 }), ctx);
    assert.deepEqual([links.decision, links.reasonCode, links.reason], ['reject', 'too_many_links', 'Comments may contain at most 1 link.']);
  });

  test('blocked words hold, and the reason does not reveal the word', async () => {
    const held = await moderate({ ...base, body: 'cheap Viagra' }, site({ blockedWords: ['viagra'] }), ctx);
    assert.deepEqual([held.decision, held.reasonCode], ['hold', 'blocked_word']);
    assert.doesNotMatch(held.reason, /viagra/i);
    const byName = await moderate({ ...base, authorName: 'VIAGRA shop' }, site({ blockedWords: ['viagra'] }), ctx);
    assert.equal(byName.reasonCode, 'blocked_word');
  });

  test('spam service: spam holds, unknown and ham carry on', async () => {
    assert.deepEqual((await moderate(base, site(), { ...ctx, spamCheck: fixed('spam') })).decision, 'hold');
    assert.equal((await moderate(base, site(), { ...ctx, spamCheck: fixed('unknown') })).decision, 'publish');
    assert.equal((await moderate(base, site({ moderation: 'all' }), { ...ctx, spamCheck: fixed('ham') })).reasonCode, 'moderation_all');
  });

  test('first-time mode asks about the author; anonymous authors always wait', async () => {
    const firstTime = site({ moderation: 'first-time' });
    const asked: string[] = [];
    const lookup = async (key: string) => (asked.push(key), key === 'known');
    assert.equal((await moderate(base, firstTime, { ...ctx, authorKey: 'known', hasApprovedComment: lookup })).decision, 'publish');
    const fresh = await moderate(base, firstTime, { ...ctx, authorKey: 'new', hasApprovedComment: lookup });
    assert.deepEqual([fresh.decision, fresh.reasonCode, fresh.reason], ['hold', 'first_time', 'Your first comment is waiting for approval.']);
    assert.equal((await moderate(base, firstTime, { ...ctx, hasApprovedComment: lookup })).decision, 'hold');
    assert.deepEqual(asked, ['known', 'new']);
  });
});

describe('Akismet adapter against a local fake Akismet', () => {
  let server: http.Server;
  let endpoint: string;
  const received: Array<{ path: string; contentType: string | undefined; form: URLSearchParams }> = [];
  let mode: 'normal' | 'error' | 'slow' | 'invalid' = 'normal';
  const held: http.ServerResponse[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        const form = new URLSearchParams(raw);
        received.push({ path: req.url ?? '', contentType: req.headers['content-type'], form });
        if (mode === 'error') return res.writeHead(503).end('down');
        // Held until the test has seen the client give up: its timeout is what is under test.
        if (mode === 'slow') return void held.push(res);
        if (mode === 'invalid' || form.get('api_key') !== 'test-key') return res.end('invalid');
        // Like Akismet's documented test author: this name is always spam.
        res.end(form.get('comment_author') === 'viagra-test-123' ? 'true' : 'false');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => {
    for (const res of held.splice(0)) res.end('false');
    server.close(() => resolve());
  }));

  const akismet = (extra: Partial<ConstructorParameters<typeof AkismetSpamCheck>[0]> = {}) =>
    new AkismetSpamCheck({ key: 'test-key', blog: 'https://news.example/', endpoint, ...extra });
  const comment = { body: 'Hello <b>there</b> & "friends"', authorName: 'Ada', authorEmail: 'ada@example.org', permalink: 'https://news.example/a/1', parentId: 'p1' };
  const context = { ip: '203.0.113.9', userAgent: 'Mozilla/5.0', referrer: 'https://news.example/', lang: 'en' };

  test('sends the documented form fields to /1.1/comment-check and reads "false" as ham', async () => {
    mode = 'normal';
    received.length = 0;
    assert.equal(await akismet().check(comment, context), 'ham');
    const { path, contentType, form } = received[0]!;
    assert.equal(path, '/1.1/comment-check');
    assert.match(contentType ?? '', /^application\/x-www-form-urlencoded/);
    assert.deepEqual(Object.fromEntries(form), {
      api_key: 'test-key',
      blog: 'https://news.example/',
      user_ip: '203.0.113.9',
      comment_type: 'reply',
      comment_content: 'Hello <b>there</b> & "friends"',
      user_agent: 'Mozilla/5.0',
      referrer: 'https://news.example/',
      permalink: 'https://news.example/a/1',
      comment_author: 'Ada',
      comment_author_email: 'ada@example.org',
      blog_lang: 'en',
      blog_charset: 'UTF-8',
    });
  });

  test('"true" is spam; errors, bad keys and timeouts are unknown', async () => {
    mode = 'normal';
    assert.equal(await akismet().check({ ...comment, authorName: 'viagra-test-123' }, context), 'spam');
    assert.equal(await akismet({ key: 'wrong' }).check(comment, context), 'unknown');
    mode = 'error';
    assert.equal(await akismet().check(comment, context), 'unknown');
    mode = 'slow';
    assert.equal(await akismet({ timeoutMs: 100 }).check(comment, context), 'unknown');
    for (const res of held.splice(0)) res.end('false');
    mode = 'normal';
  });

  test('a site with akismet configured gets a working checker through moderate()', async () => {
    mode = 'normal';
    const configured = site({ spamCheck: { akismet: { key: 'test-key', blog: 'https://news.example/', endpoint } } });
    const spamCheck = spamCheckFor(configured);
    assert.ok(spamCheck);
    assert.equal(spamCheckFor(site()), undefined);
    const now = Date.now();
    const held = await moderate({ body: 'buy', authorName: 'viagra-test-123', fillMs: 10_000 }, configured, { ip: '203.0.113.9', now, spamCheck });
    assert.deepEqual([held.decision, held.reasonCode], ['hold', 'spam']);
  });
});

for (const dialect of await dialectsUnderTest()) {
  describe(`duplicate fingerprints on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      ({ store, dispose } = await dialect.open());
    });
    after(async () => dispose?.());

    test('same normalised body by the same email or IP hash within the window is seen; others are not', async () => {
      const hash = normalisedBodyHash('Nice article!');
      await remembered(store.db, (w) => recordFingerprint(w, 'news', hash, ['email-a', 'ip-1'], '2026-01-01T10:00:00.000Z'));
      const since = '2026-01-01T09:30:00.000Z';
      assert.equal(await seenRecently(store.db, 'news', normalisedBodyHash('nice ARTICLE'), ['ip-1'], since), true);
      assert.equal(await seenRecently(store.db, 'news', hash, ['email-a', 'ip-9'], since), true);
      assert.equal(await seenRecently(store.db, 'news', hash, ['email-b', 'ip-2'], since), false, 'another author');
      assert.equal(await seenRecently(store.db, 'blog', hash, ['ip-1'], since), false, 'another site');
      assert.equal(await seenRecently(store.db, 'news', hash, ['ip-1'], '2026-01-01T10:00:00.000Z'), false, 'outside the window');
      assert.equal(await seenRecently(store.db, 'news', hash, [], since), false);
      assert.equal(await pruneFingerprints(store.db, '2026-01-01T10:00:00.000Z'), 2);
    });

    test('authorHasApprovedComment: only a visible comment by that email hash on that site counts', async () => {
      const t = '2026-01-01T00:00:00.000Z';
      const row = (id: string, site: string, hash: string, status: string) =>
        ({ id, site, page: '/p', parent_id: null, author_name: 'A', author_email: null, author_email_hash: hash, body: 'b', status, created_at: t, updated_at: t }) as never;
      await store.db.insertInto('comments').values([row('01J0000000000000000000000A', 'news', 'h-pending', 'pending'), row('01J0000000000000000000000B', 'news', 'h-ok', 'visible'), row('01J0000000000000000000000C', 'blog', 'h-blog', 'visible')]).execute();
      assert.equal(await authorHasApprovedComment(store.db, 'news', 'h-ok'), true);
      assert.equal(await authorHasApprovedComment(store.db, 'news', 'h-pending'), false);
      assert.equal(await authorHasApprovedComment(store.db, 'news', 'h-blog'), false);
      assert.equal(await authorHasApprovedComment(store.db, 'news', 'h-none'), false);
    });
  });
}
