import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CommentDeletedEventDataSchema, CommentSchema, ErrorBodySchema, PostedCommentSchema, type PostedComment } from '@parley/schema';
import { loadConfig } from '../config.ts';
import { startServer, type RunningServer } from '../server.ts';
import { PG_URL, dialectsUnderTest, jsonHeaders, skipReason, tempDir } from '../test/helpers.ts';
import pg from 'pg';

interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** A minimal EventSource over fetch: parses frames as they arrive, over a real socket. */
class SseClient {
  readonly events: SseEvent[] = [];
  comments = 0;
  private readonly controller = new AbortController();
  private waiters: Array<() => void> = [];
  readonly opened: Promise<Response>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.opened = fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: this.controller.signal });
    void this.opened.then(async (response) => {
      if (!response.body) return;
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body) {
          buffer += decoder.decode(chunk as Uint8Array, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event: SseEvent = { data: '' };
            const data: string[] = [];
            for (const line of frame.split('\n')) {
              if (line.startsWith(':')) this.comments++;
              else if (line.startsWith('data: ')) data.push(line.slice(6));
              else if (line.startsWith('id: ')) event.id = line.slice(4);
              else if (line.startsWith('event: ')) event.event = line.slice(7);
            }
            if (data.length > 0) {
              event.data = data.join('\n');
              this.events.push(event);
            }
            for (const wake of this.waiters.splice(0)) wake();
          }
        }
      } catch {
        // aborted
      }
    });
  }

  /** Resolves when `count` events arrived; fails after `ms`. */
  waitFor(count: number, ms = 5000): Promise<SseEvent[]> {
    return this.waitUntil((events) => events.length >= count, ms, `${count} events`);
  }

  /** Resolves when the events so far satisfy `done`; fails after `ms`. */
  async waitUntil(done: (events: SseEvent[]) => boolean, ms = 5000, what = 'the awaited event'): Promise<SseEvent[]> {
    const deadline = Date.now() + ms;
    while (!done(this.events)) {
      if (Date.now() > deadline) throw new Error(`expected ${what}, got ${this.events.length} events`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.events;
  }

  /** Waits until the server has written its first frame (the subscription is in place). */
  async ready(): Promise<void> {
    await this.opened;
    const deadline = Date.now() + 5000;
    while (this.comments === 0 && this.events.length === 0) {
      if (Date.now() > deadline) throw new Error('stream never opened');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.controller.abort();
  }
}

for (const dialect of await dialectsUnderTest()) {
  describe(`SSE stream over real HTTP on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    const temp = tempDir();
    let server: RunningServer;
    let schema: string | undefined;

    before(async () => {
      if (dialect.skip) throw new Error(`PostgreSQL is required under CI=true: ${dialect.skip}`);
      let url = `file:${path.join(temp.dir, 'db.sqlite')}`;
      if (dialect.name === 'postgres') {
        // startServer opens its own store from DATABASE_URL: give it a fresh schema (PARLEY_PG_SCHEMA).
        schema = `parley_sse_${Math.random().toString(36).slice(2, 10)}`;
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        await admin.query(`CREATE SCHEMA ${schema}`);
        await admin.end();
        url = PG_URL;
      }
      server = await startServer(loadConfig({ PORT: '0', DATABASE_URL: url, PARLEY_EMBED_FILE: path.join(temp.dir, 'none.js'), ...(schema ? { PARLEY_PG_SCHEMA: schema } : {}) }), { quiet: true });
    });
    after(async () => {
      await server?.close();
      temp.remove();
      if (schema) {
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      }
    });

    const post = async (page: string, body: string, parentId?: string): Promise<PostedComment> => {
      const response = await fetch(`${server.url}/api/comments`, { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ site: 'live', page, body, ...(parentId ? { parentId } : {}) }) });
      assert.equal(response.status, 201);
      return PostedCommentSchema.parse(await response.json());
    };

    test('connect, post, receive; reconnect with Last-Event-ID gets exactly the missed events in order', async () => {
      const first = new SseClient(`${server.url}/api/stream?site=live&page=%2Fs`);
      const opened = await first.opened;
      assert.equal(opened.status, 200);
      assert.match(opened.headers.get('content-type') ?? '', /^text\/event-stream/);
      await first.ready();
      const one = await post('/s', 'one');
      await post('/elsewhere', 'not this page');
      const [received] = await first.waitFor(1);
      assert.equal(received!.event, 'comment.created');
      const dto = CommentSchema.parse(JSON.parse(received!.data));
      assert.equal(dto.id, one.id);
      assert.equal(dto.html, '<p>one</p>');
      assert.equal('body' in dto, false);
      const lastId = received!.id!;
      assert.match(lastId, /^[0-9A-HJKMNP-TV-Z]{26}$/);
      first.close();

      const two = await post('/s', 'two');
      const edited = await fetch(`${server.url}/api/comments/${two.id}`, { method: 'PATCH', headers: { ...jsonHeaders, 'Parley-Edit-Token': two.editToken }, body: JSON.stringify({ site: 'live', body: 'two, edited' }) });
      assert.equal(edited.status, 200);
      const removed = await fetch(`${server.url}/api/comments/${one.id}?site=live`, { method: 'DELETE', headers: { 'Parley-Edit-Token': one.editToken } });
      assert.equal(removed.status, 200);

      const second = new SseClient(`${server.url}/api/stream?site=live&page=%2Fs`, { 'Last-Event-ID': lastId });
      const replayed = await second.waitFor(3);
      assert.deepEqual(replayed.map((e) => e.event), ['comment.created', 'comment.updated', 'comment.deleted']);
      // A replay tells what the comment is now (issue 14): the edited text, never the stored old one.
      assert.equal(CommentSchema.parse(JSON.parse(replayed[0]!.data)).html, '<p>two, edited</p>');
      assert.equal(CommentSchema.parse(JSON.parse(replayed[1]!.data)).html, '<p>two, edited</p>');
      assert.deepEqual(CommentDeletedEventDataSchema.parse(JSON.parse(replayed[2]!.data)), { id: one.id, status: 'removed' });
      const ids = replayed.map((e) => e.id!);
      assert.deepEqual([...ids].sort(), ids);
      assert.ok(ids.every((id) => id > lastId));
      // Then live, with no duplicate of the replayed ones. One stream is written in order, so once a
      // later marker comment has arrived, anything sent again before it would be there too.
      const three = await post('/s', 'three');
      const marker = await post('/s', 'marker');
      await second.waitUntil((events) => events.some((e) => e.event === 'comment.created' && JSON.parse(e.data).id === marker.id));
      const all = second.events;
      assert.deepEqual(all.slice(3).map((e) => CommentSchema.parse(JSON.parse(e.data)).id), [three.id, marker.id]);
      assert.equal(new Set(all.map((e) => e.id)).size, all.length, 'no event twice');
      second.close();

      // ?lastEventId= does the same for clients that can't set the header.
      const third = new SseClient(`${server.url}/api/stream?site=live&page=%2Fs&lastEventId=${ids[1]}`);
      const fromQuery = await third.waitFor(3);
      assert.deepEqual(fromQuery.map((e) => e.id), [ids[2], all[3]!.id, all[4]!.id]);
      third.close();
    });

    test('many writes while connected arrive once each, in order', async () => {
      const client = new SseClient(`${server.url}/api/stream?site=live&page=%2Fburst`);
      await client.ready();
      const posted = await Promise.all(Array.from({ length: 20 }, (_, i) => post('/burst', `b${i}`)));
      const events = await client.waitFor(20);
      const ids = events.map((e) => e.id!);
      assert.deepEqual([...ids].sort(), ids);
      assert.deepEqual(new Set(events.map((e) => JSON.parse(e.data).id)), new Set(posted.map((p) => p.id)));
      client.close();
    });

    test('invalid stream requests get the JSON error shape', async () => {
      const missing = await fetch(`${server.url}/api/stream?site=live`);
      assert.equal(missing.status, 400);
      assert.equal(ErrorBodySchema.parse(await missing.json()).error.code, 'validation_failed');
      const badId = await fetch(`${server.url}/api/stream?site=live&page=%2Fs`, { headers: { 'Last-Event-ID': 'nope' } });
      assert.equal(badId.status, 400);
      assert.equal(ErrorBodySchema.parse(await badId.json()).error.code, 'validation_failed');
    });
  });
}
