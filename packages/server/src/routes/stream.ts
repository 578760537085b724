import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { STREAM_HEARTBEAT_SECONDS, StreamQuerySchema } from '@parley/schema';
import { AppError } from '../lib/errors.ts';
import { StorageUnavailableError } from '../lib/storage-errors.ts';
import { validate } from '../lib/validate.ts';
import { metrics } from '../observability/metrics.ts';
import type { LiveEvent, LiveFeed } from '../services/live/feed.ts';

const EVENT_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * `GET /api/stream?site=&page=`: Server-Sent Events for one page. With `Last-Event-ID` (header, or
 * `?lastEventId=`) it first replays the stored events after that id, then goes live: it subscribes
 * before replaying and drops live events it already replayed, so there is no gap and no duplicate.
 */
export function streamRoutes(feed: LiveFeed, options: { shutdown?: AbortSignal } = {}) {
  const { shutdown } = options;
  return new Hono().get('/', validate('query', StreamQuerySchema), async (c) => {
    // Shutting down: streams are being ended; a new one would only hold the drain up.
    if (shutdown?.aborted) throw new StorageUnavailableError('shutting down', { cause: shutdown.reason });
    const query = c.req.valid('query');
    const header = c.req.header('last-event-id')?.trim();
    if (header && !EVENT_ID.test(header)) {
      throw new AppError(400, 'validation_failed', 'Invalid request: Last-Event-ID: not a valid event id', [{ path: 'Last-Event-ID', message: 'not a valid event id' }]);
    }
    const since = header || query.lastEventId;
    const frameOf = query.avatars === 'gravatar' ? (e: LiveEvent) => e.gravatarFrame : (e: LiveEvent) => e.frame;
    c.header('X-Accel-Buffering', 'no');

    return streamSSE(c, async (stream) => {
      let lastSent = since ?? '';
      let replaying = true;
      const pending: LiveEvent[] = [];
      let writing = Promise.resolve();
      const send = (event: LiveEvent) => {
        if (event.id <= lastSent) return;
        lastSent = event.id;
        const frame = frameOf(event);
        writing = writing.then(() => stream.write(frame)).then(() => undefined).catch(() => stream.abort());
      };
      const unsubscribe = await feed.subscribe(query.site, query.page, (event) => (replaying ? pending.push(event) : send(event)));
      // Ends on the reader's abort, or when the server shuts down (it ends streams before closing the database).
      const closed = new Promise<void>((resolve) => {
        stream.onAbort(resolve);
        shutdown?.addEventListener('abort', () => resolve(), { once: true });
      });
      metrics.sseStreams.inc();
      try {
        // Opens the stream at once (proxies, and the browser's `open` event).
        await stream.write(': connected\n\n');
        if (since) for (const event of await feed.replay(query.site, query.page, since)) send(event);
        replaying = false;
        for (const event of pending.splice(0)) send(event);
        while (!stream.aborted && !shutdown?.aborted) {
          const beat = new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, STREAM_HEARTBEAT_SECONDS * 1000);
            void closed.then(() => clearTimeout(timer));
          });
          await Promise.race([beat, closed]);
          if (stream.aborted || shutdown?.aborted) break;
          writing = writing.then(() => stream.write(': heartbeat\n\n')).then(() => undefined).catch(() => stream.abort());
        }
      } finally {
        metrics.sseStreams.dec();
        unsubscribe();
      }
    });
  });
}
