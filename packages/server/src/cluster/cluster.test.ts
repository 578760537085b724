import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { EDIT_TOKEN_HEADER } from '@parley/schema';
import { runCli } from '../cli.ts';
import { PG_URL, dialectsUnderTest, skipReason } from '../test/helpers.ts';
import { eventually, freshSchema, openStream, postJson, startInstance, type Instance } from './harness.ts';

// Several real server processes on one real PostgreSQL: what each instance holds in memory
// (first pages, live streams, the related index) follows what another instance wrote, side
// effects happen once, and a killed instance loses nothing it acknowledged.
const postgres = (await dialectsUnderTest()).find((dialect) => dialect.name === 'postgres')!;
const METRICS = 'cluster-metrics-token';
const ADMIN = 'cluster-admin-token';

describe('three instances on one PostgreSQL', { skip: skipReason(postgres) }, () => {
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  let temp: string;
  let receiver: Server;
  const deliveries: string[] = [];
  let instances: Instance[] = [];
  let env: Record<string, string>;

  before(async () => {
    schema = await freshSchema();
    temp = mkdtempSync(path.join(tmpdir(), 'parley-cluster-'));
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        deliveries.push(String(req.headers['parley-delivery']));
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const sitesFile = path.join(temp, 'sites.json');
    writeFileSync(sitesFile, JSON.stringify({ sites: [{ id: 'news', minFillSeconds: 0, rateLimits: { perIp: { max: 10_000, windowSeconds: 60 }, perPage: { max: 10_000, windowSeconds: 60 }, perAuthor: { max: 10_000, windowSeconds: 60 } }, duplicateWindowSeconds: 0, webhooks: [{ url: hook, secret: 'a-long-enough-secret', events: ['comment.created'] }] }] }));
    env = { DATABASE_URL: PG_URL, PARLEY_PG_SCHEMA: schema.schema, PARLEY_SECRET: 'shared-cluster-secret', PARLEY_ADMIN_TOKEN: ADMIN, PARLEY_CONFIG: sitesFile, PARLEY_JOB_INTERVAL_MS: '200', PARLEY_EMBED_FILE: '/nonexistent', PARLEY_METRICS_TOKEN: METRICS };
    // The first one migrates; the others start on a migrated schema, as a rolling deploy would.
    instances.push(await startInstance('A', env));
    instances.push(...(await Promise.all([startInstance('B', env), startInstance('C', env)])));
  });

  after(async () => {
    await Promise.all(instances.map((instance) => instance.stop('SIGKILL')));
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    rmSync(temp, { recursive: true, force: true });
    await schema.drop();
  });

  const [a, b, c] = [() => instances[0]!, () => instances[1]!, () => instances[2]!];
  const thread = async (instance: Instance, page: string) => (await (await fetch(`${instance.url}/api/comments?site=news&page=${encodeURIComponent(page)}`)).json()) as { total: number; comments: Array<{ id: string; likes: number; html: string }> };
  const post = async (instance: Instance, page: string, body: string) => {
    const response = await postJson(`${instance.url}/api/comments`, { site: 'news', page, body, author: { name: 'Ann' } });
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()) as { id: string; editToken: string };
  };

  test('a comment posted on A reaches an SSE listener on B, and B\'s cached first page and counts', async () => {
    const page = '/live';
    assert.equal((await thread(b(), page)).total, 0); // B caches the empty first page
    const stream = openStream(`${b().url}/api/stream?site=news&page=${encodeURIComponent(page)}`);
    await stream.opened;
    const posted = await post(a(), page, 'Hello from A');
    await stream.waitFor((events) => events.some((event) => event.type === 'comment.created' && (event.data as { id: string }).id === posted.id), 'the comment on B\'s stream');
    await eventually(() => thread(b(), page), (t) => t.total === 1 && t.comments[0]?.id === posted.id, 'B\'s first page');
    const counts = await eventually(async () => (await (await postJson(`${c().url}/api/counts`, { site: 'news', pages: [page] })).json()) as { counts: Record<string, number> }, (value) => value.counts[page] === 1, 'C\'s count');
    assert.equal(counts.value.counts[page], 1);
    stream.close();
  });

  test('a like, a delete and a moderator\'s rejection on A are seen by B and C', async () => {
    const page = '/changes';
    const liked = await post(a(), page, 'Like me');
    const removed = await post(a(), page, 'Delete me');
    const rejected = await post(a(), page, 'Reject me');
    await eventually(() => thread(b(), page), (t) => t.total === 3, 'B sees three');
    await eventually(() => thread(c(), page), (t) => t.total === 3, 'C sees three');
    const stream = openStream(`${b().url}/api/stream?site=news&page=${encodeURIComponent(page)}`);
    await stream.opened;

    assert.equal((await postJson(`${a().url}/api/comments/${liked.id}/like`, { site: 'news', readerId: 'reader-0123456789abcdef', liked: true })).status, 200);
    await eventually(() => thread(b(), page), (t) => t.comments.find((comment) => comment.id === liked.id)?.likes === 1, 'the like on B');

    const deletion = await fetch(`${a().url}/api/comments/${removed.id}?site=news`, { method: 'DELETE', headers: { [EDIT_TOKEN_HEADER]: removed.editToken } });
    assert.equal(deletion.status, 200, await deletion.text());
    const rejection = await fetch(`${a().url}/api/admin/comments/${rejected.id}/reject`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(rejection.status, 200, await rejection.text());
    for (const instance of [b(), c()]) {
      const { value } = await eventually(() => thread(instance, page), (t) => t.total === 1, `${instance.name} drops the deleted and the rejected comment`);
      assert.deepEqual(value.comments.map((comment) => comment.id), [liked.id]);
      assert.doesNotMatch(JSON.stringify(value), /Delete me|Reject me/);
    }
    await stream.waitFor((events) => [removed.id, rejected.id].every((id) => events.some((event) => event.type === 'comment.deleted' && (event.data as { id: string }).id === id)), 'both removals on B\'s stream');
    stream.close();
  });

  test('articles written on A, and by the CLI, reach B\'s related index', async () => {
    const related = async (instance: Instance, page: string) => (await (await fetch(`${instance.url}/api/related?site=news&page=${encodeURIComponent(page)}&limit=5`)).json()) as { items: Array<{ url: string; title: string }> };
    const article = (slug: string, title: string) => ({ url: `/${slug}`, title, body: `${title}. Rivers, bridges and flood defences in the valley towns. Engineers inspected the bridges over the river.` });
    const put = await fetch(`${a().url}/api/articles`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ site: 'news', articles: [article('bridges-one', 'River bridges inspected'), article('bridges-two', 'Flood defences for river towns')] }) });
    assert.equal(put.status, 200, await put.text());
    await eventually(() => related(b(), '/bridges-one'), (value) => value.items.some((item) => item.url === '/bridges-two'), 'B recommends the article written on A');

    const file = path.join(temp, 'articles.json');
    writeFileSync(file, JSON.stringify({ site: 'news', articles: [article('bridges-three', 'New bridge over the river opens')] }));
    const lines: string[] = [];
    const code = await runCli(['import-articles', file], { env: { DATABASE_URL: PG_URL, PARLEY_PG_SCHEMA: schema.schema }, out: (line) => lines.push(line), err: (line) => lines.push(line) });
    assert.equal(code, 0, lines.join('\n'));
    await eventually(() => related(b(), '/bridges-one'), (value) => value.items.some((item) => item.url === '/bridges-three'), 'B recommends the article the CLI imported');
    await eventually(() => related(c(), '/bridges-two'), (value) => value.items.some((item) => item.url === '/bridges-three'), 'C too');
  });

  test('with three instances draining one outbox, each webhook is delivered exactly once', async () => {
    const before = deliveries.length;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await post(instances[i % 3]!, '/hooks', `Hook ${i}`)).id);
    const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema.schema}` });
    await client.connect();
    try {
      const expected = Number((await client.query(`select count(*) as n from webhook_deliveries`)).rows[0].n);
      await eventually(async () => Number((await client.query(`select count(*) as n from webhook_deliveries where status <> 'delivered'`)).rows[0].n), (n) => n === 0, 'every delivery sent');
      // Every instance's job runner has looked at the outbox again since: no late duplicates.
      const { rows } = await client.query(`select id from webhook_deliveries`);
      const got = deliveries.slice(before);
      assert.equal(new Set(got).size, got.length, `duplicates: ${got.length - new Set(got).size}`);
      assert.equal(deliveries.length, expected);
      assert.deepEqual(new Set(deliveries), new Set(rows.map((row: { id: string }) => row.id)));
    } finally {
      await client.end();
    }
  });

  test("each instance's /metrics shows how late changes from the others arrive, and the queues' depth", async () => {
    await post(a(), '/metrics', 'Measured');
    const metricsOf = async (instance: Instance) => (await fetch(`${instance.url}/metrics`, { headers: { authorization: `Bearer ${METRICS}` } })).text();
    const value = (text: string, name: string) => Number(new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    for (const instance of [b(), c()]) {
      const seen = await eventually(() => metricsOf(instance), (text) => value(text, 'parley_notifier_lag_seconds') > 0 && !Number.isNaN(value(text, 'parley_outbox_queue_depth{queue="webhooks"}')), `${instance.name}'s metrics`);
      assert.ok(value(seen.value, 'parley_notifier_lag_seconds') < 5, 'a NOTIFY on one machine arrives within seconds');
      assert.equal(value(seen.value, 'parley_outbox_queue_depth{queue="mail"}'), 0);
    }
  });

  test('a ban made on A refuses the author on B, which holds bans in memory; lifting it on C lets them post again', async () => {
    const email = 'troll@cluster.example';
    const send = (instance: Instance, body: string) => postJson(`${instance.url}/api/comments`, { site: 'news', page: '/bans', body, author: { name: 'Troll', email } });
    // B answers this one from the database and keeps the site's bans (none) in memory.
    assert.equal((await send(b(), 'Before the ban')).status, 201);
    const admin = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` };
    const banned = await fetch(`${a().url}/api/admin/bans`, { method: 'POST', headers: admin, body: JSON.stringify({ site: 'news', kind: 'email', valueHash: createHash('sha256').update(email).digest('hex'), reason: 'trolling' }) });
    assert.equal(banned.status, 201, await banned.clone().text());
    const { id } = (await banned.json()) as { id: string };
    await eventually(async () => (await send(b(), 'During the ban')).status, (status) => status === 403, 'B refuses the banned author');
    assert.equal((await fetch(`${c().url}/api/admin/bans/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } })).status, 204);
    await eventually(async () => (await send(b(), 'After the ban')).status, (status) => status === 201, 'B lets them post again');
  });

  test('kill -9 of an instance under write load: nothing acknowledged is lost, its stream resumes on another without gap or duplicate', async () => {
    const page = '/crash';
    const victim = b();
    const stream = openStream(`${victim.url}/api/stream?site=news&page=${encodeURIComponent(page)}`);
    await stream.opened;
    const acknowledged: string[] = [];
    let stop = false;
    const writers = [a(), b(), c()].map(async (instance, n) => {
      for (let i = 0; !stop && i < 400; i++) {
        try {
          const response = await postJson(`${instance.url}/api/comments`, { site: 'news', page, body: `load ${n}-${i}` });
          if (response.status === 201) acknowledged.push(((await response.json()) as { id: string }).id);
        } catch {
          // The killed instance refuses connections: its writer stops there.
          if (instance === victim) return;
        }
      }
    });
    await stream.waitFor((events) => events.length >= 10, 'some live events before the kill');
    await victim.stop('SIGKILL');
    await stream.closed;
    const lastSeen = stream.events.at(-1)!.id;
    // The reader's EventSource reconnects to another instance with the last id it saw.
    const resumed = openStream(`${c().url}/api/stream?site=news&page=${encodeURIComponent(page)}`, lastSeen);
    await resumed.opened;
    await resumed.waitFor((events) => events.length >= 5, 'live events on the resumed stream while the others keep writing');
    stop = true;
    await Promise.all(writers);
    // The others kept answering through all of it.
    assert.equal((await fetch(`${a().url}/healthz`)).status, 200);
    assert.equal((await fetch(`${c().url}/healthz`)).status, 200);

    const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema.schema}` });
    await client.connect();
    try {
      const stored = new Set((await client.query(`select id from comments where page = $1`, [page])).rows.map((row: { id: string }) => row.id));
      const lost = acknowledged.filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `${lost.length} acknowledged comments lost`);
      const eventIds = (await client.query(`select id from comment_events where site = 'news' and page = $1 order by id`, [page])).rows.map((row: { id: string }) => row.id);
      await resumed.waitFor((events) => events.at(-1)?.id === eventIds.at(-1), 'the resumed stream to catch up');
      const received = [...stream.events, ...resumed.events].map((event) => event.id);
      assert.equal(new Set(received).size, received.length, 'no duplicate');
      assert.deepEqual(received, eventIds, 'no gap: every event of the page, in order');
    } finally {
      await client.end();
      resumed.close();
    }
  });
});
