// The example deployment, for real: three instances, nginx, PostgreSQL. A comment posted through
// nginx is read back through nginx from another instance, and reaches a live stream opened through
// nginx on another instance. Needs nginx (Debian: nginx-light) and PostgreSQL; under CI=true a
// missing one fails the test instead of skipping it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { findNginx, startCluster } from './start.mjs';

const PG_URL = process.env.PARLEY_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';
const SCHEMA = `parley_example_cluster_test_${process.pid}`;
const ADMIN_TOKEN = 'cluster-example-admin-token';

async function missing() {
  if (!findNginx()) return 'nginx is not installed (apt-get install -y --no-install-recommends nginx-light)';
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    return `PostgreSQL at ${PG_URL} is unreachable (${error.message})`;
  }
  return undefined;
}

async function dropSchema() {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`drop schema if exists ${SCHEMA} cascade`);
  await client.end();
}

const reason = await missing();
if (reason && process.env.CI === 'true') {
  test('the cluster example needs nginx and PostgreSQL', () => assert.fail(`${reason}; CI must provide it (.ci/run installs nginx-light)`));
}

describe('examples/cluster: three instances behind nginx on one PostgreSQL', { skip: reason }, () => {
  let cluster;
  before(async () => {
    cluster = await startCluster({ port: 0, env: { DATABASE_URL: PG_URL, PARLEY_PG_SCHEMA: SCHEMA, PARLEY_CONFIG: '', PARLEY_ADMIN_TOKEN: ADMIN_TOKEN } });
  });
  after(async () => {
    await cluster?.stop();
    // Every process is gone: nothing of this run may outlive it.
    for (const pid of [cluster?.nginxPid, ...(cluster?.instances ?? []).map((instance) => instance.pid)].filter(Boolean)) {
      assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `process ${pid} still runs`);
    }
    await dropSchema();
  });

  const page = '/cluster-example';
  const threadUrl = () => `${cluster.url}/api/comments?site=default&page=${encodeURIComponent(page)}`;
  const post = async (body) => {
    const response = await fetch(`${cluster.url}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'default', page, body, author: { name: 'Ann' } }) });
    assert.equal(response.status, 201, await response.clone().text());
    return { id: (await response.json()).id, upstream: response.headers.get('x-parley-upstream') };
  };

  test('nginx spreads requests over the three instances', async () => {
    const upstreams = new Set();
    // least_conn with equal load goes round the servers; a handful of requests reach every one.
    for (let i = 0; i < 12 && upstreams.size < 3; i++) {
      const response = await fetch(`${cluster.url}/readyz`);
      assert.equal(response.status, 200);
      upstreams.add(response.headers.get('x-parley-upstream'));
    }
    assert.deepEqual([...upstreams].sort(), cluster.instances.map((instance) => new URL(instance.url).host).sort());
  });

  test('a comment posted through nginx is read through nginx from another instance', async () => {
    const posted = await post('Posted through nginx');
    // Reads go round the instances; wait for one answered by another instance to show the comment.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const response = await fetch(threadUrl());
      const upstream = response.headers.get('x-parley-upstream');
      const thread = await response.json();
      if (upstream !== posted.upstream && thread.comments.some((comment) => comment.id === posted.id)) break;
      assert.ok(Date.now() < deadline, `no other instance than ${posted.upstream} served the comment within 10 s`);
    }
  });

  test('a live stream opened through nginx receives a comment posted on another instance', async () => {
    const controller = new AbortController();
    const response = await fetch(`${cluster.url}/api/stream?site=default&page=${encodeURIComponent(page)}`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^text\/event-stream/);
    const streamUpstream = response.headers.get('x-parley-upstream');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const readUntil = async (text, what) => {
      const timer = setTimeout(() => controller.abort(), 10_000);
      try {
        while (!received.includes(text)) {
          const { value, done } = await reader.read();
          if (done) break;
          received += value;
        }
      } catch {
        // Aborted by the timer: reported below.
      } finally {
        clearTimeout(timer);
      }
      assert.ok(received.includes(text), `the stream through nginx never delivered ${what}; got:\n${received}`);
    };
    // nginx must pass the first bytes on at once (no proxy buffering), or this never arrives.
    await readUntil(': connected', 'its opening comment');
    // Post until nginx hands the POST to an instance other than the stream's.
    let posted;
    for (let i = 0; i < 6; i++) {
      posted = await post(`Live through nginx ${i}`);
      if (posted.upstream !== streamUpstream) break;
    }
    assert.notEqual(posted.upstream, streamUpstream, 'every POST went to the stream\'s instance');
    await readUntil(posted.id, `the comment ${posted.id} posted on ${posted.upstream}`);
    controller.abort();
  });

  // Bodies over nginx's in-memory buffer (8–16 KB) go through its temp folder, which its workers
  // (nobody, when started by root) must be able to reach: otherwise nginx answers 500.
  test('bodies over nginx\'s buffer reach Parley: its 400 for a too-long preview, 201 for an 18 KB comment', async () => {
    const preview = await fetch(`${cluster.url}/api/preview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'default', body: 'x'.repeat(15_000) }) });
    assert.equal(preview.status, 400, await preview.clone().text());
    assert.equal((await preview.json()).error.code, 'validation_failed');
    await post('ж'.repeat(9_000)); // 18,000 bytes of UTF-8, under the 10,000-character limit
  });

  test('the body limits are Parley\'s, route by route; nginx\'s own 413 is in Parley\'s error shape', async () => {
    const tooBig = await fetch(`${cluster.url}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'default', page, body: 'x'.repeat(70_000) }) });
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.headers.get('content-type'), 'application/json');
    assert.equal(tooBig.headers.get('x-request-id'), null, 'nginx answered, not Parley (which echoes X-Request-Id)');
    assert.equal((await tooBig.json()).error.code, 'payload_too_large');
    const articles = Array.from({ length: 8 }, (_, i) => ({ url: `https://example.org/cluster-${i}`, title: `Cluster ${i}`, body: `word${i} `.repeat(25_000) }));
    const put = await fetch(`${cluster.url}/api/articles`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify({ site: 'default', articles }) });
    assert.equal(put.status, 200, await put.clone().text());
  });
});
