import type { Comment, StreamEventType } from '@parley/schema';
import { systemClock, type Clock } from '../../clock.ts';
import {
  deleteEventsBefore,
  deleteEventsOfHiddenComments,
  findCommentsByIds,
  lastEventId,
  listEventsAfter,
  listRecentEventsAfter,
} from '../../store/comments.repository.ts';
import type { CommentEventRow, CommentRow } from '../../store/schema.ts';
import type { Store } from '../../store/store.ts';
import { pageKey, type Notifier } from './notifier.ts';

/**
 * The replay window of `GET /api/stream` with `Last-Event-ID`: at most this many of the newest
 * events of the page, none older than REPLAY_MAX_AGE_MS. A reader away longer reloads the thread
 * (the widget does on reconnect after a long absence anyway); `pruneCommentEvents` deletes the rest.
 */
export const REPLAY_MAX_AGE_MS = 24 * 60 * 60 * 1000;
export const REPLAY_MAX_EVENTS = 500;

/** An event as streams send it. */
export interface LiveEvent {
  id: string;
  type: StreamEventType;
  /** JSON text for the SSE `data:` line, without `author.gravatar`. */
  data: string;
  /** The same with `author.gravatar` where the author gave an email (streams opened with `avatars=gravatar`). */
  gravatarData: string;
  /** The whole SSE frame for each variant, shared by every listener. */
  frame: string;
  gravatarFrame: string;
}

/** How a stored comment looks to the public now (the comments service's `publicView`). */
export interface CommentViews {
  publicView(row: CommentRow): Promise<Comment>;
}

/** One event's data; the gravatar hash is kept only in the variant for streams that asked for it. */
export function toLiveEvent(id: string, type: StreamEventType, data: object): LiveEvent {
  const gravatarData = JSON.stringify(data);
  let plain = gravatarData;
  const author = (data as { author?: { gravatar?: string } }).author;
  if (author && 'gravatar' in author) {
    const { gravatar: _hash, ...rest } = author;
    plain = JSON.stringify({ ...data, author: rest });
  }
  return { id, type, data: plain, gravatarData, frame: sseFrame(id, type, plain), gravatarFrame: sseFrame(id, type, gravatarData) };
}

/**
 * What an event may say today. The stored payload is never sent: it is what the comment looked
 * like when the event was written, and the comment may since have been edited, removed, marked
 * spam, rejected or erased. Each event is re-read against the comment's current row:
 * - gone or no longer public (pending, spam, rejected, erased): a `comment.created` is dropped (a
 *   reader who missed it never needs it), anything else becomes `comment.deleted {status:'removed'}`;
 * - a deleted placeholder: `comment.created` carries the placeholder (no name, no text), so replies
 *   still have a parent; anything else becomes `comment.deleted {status:'deleted'}`;
 * - visible: the event's type with the current public view (current text, likes, reply count).
 */
async function presentEvents(store: Store, views: CommentViews, rows: readonly CommentEventRow[]): Promise<Array<LiveEvent | undefined>> {
  if (rows.length === 0) return [];
  const current = new Map((await findCommentsByIds(store.db, [...new Set(rows.map((row) => row.comment_id))])).map((row) => [row.id, row]));
  const shown = new Map<string, Promise<Comment>>();
  const viewOf = (row: CommentRow) => {
    let view = shown.get(row.id);
    if (!view) shown.set(row.id, (view = views.publicView(row)));
    return view;
  };
  const events: Array<LiveEvent | undefined> = [];
  for (const event of rows) {
    const row = current.get(event.comment_id);
    const type = event.type as StreamEventType;
    if (!row || (row.status !== 'visible' && row.status !== 'deleted')) {
      events.push(type === 'comment.created' ? undefined : toLiveEvent(event.id, 'comment.deleted', { id: event.comment_id, status: 'removed' }));
    } else if (row.status === 'deleted' && type !== 'comment.created') {
      events.push(toLiveEvent(event.id, 'comment.deleted', { id: row.id, status: 'deleted' }));
    } else {
      events.push(toLiveEvent(event.id, type === 'comment.deleted' ? 'comment.updated' : type, await viewOf(row)));
    }
  }
  return events;
}

/**
 * The SSE frame, formatted once per event rather than once per listener. `data` is JSON.stringify
 * output: it has no raw newlines, so it is one `data:` line.
 */
function sseFrame(id: string, type: string, data: string): string {
  return `event: ${type}\ndata: ${data}\nid: ${id}\n\n`;
}

export type LiveListener = (event: LiveEvent) => void;

/**
 * Deletes what the live-event log must not keep (schedule it periodically, e.g. hourly): events
 * older than the replay window, and the content-bearing events (`comment.created`/`updated`) of
 * comments that are gone or no longer visible — the comment's own `comment.deleted` event, which
 * carries no content, stays to tell streams it went. Returns how many rows went.
 */
export async function pruneCommentEvents(db: Store['db'], now: Date): Promise<number> {
  const expired = await deleteEventsBefore(db, new Date(now.getTime() - REPLAY_MAX_AGE_MS).toISOString());
  return expired + (await deleteEventsOfHiddenComments(db));
}

export interface LiveFeedOptions {
  /** Re-reads each event's comment as the public sees it now. */
  views: CommentViews;
  clock?: Clock;
}

/**
 * Fans one page's events out to every stream open on it in this process. A notification makes the
 * page's channel read `comment_events` after the last id it delivered, once, however many streams
 * listen; streams then drop what they already sent. Reading from the table (rather than trusting the
 * notification's payload) is what makes a lost or reordered notification harmless; re-reading each
 * event's comment is what keeps removed content out of streams (see `presentEvents`).
 */
export class LiveFeed {
  private readonly channels = new Map<string, PageChannel>();
  private readonly views: CommentViews;
  private readonly clock: Clock;

  constructor(
    private readonly store: Store,
    private readonly notifier: Notifier,
    options: LiveFeedOptions,
  ) {
    this.views = options.views;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Starts delivering events committed from now on to `listener`; resolves once the channel knows
   * where "now" is, so a replay that starts after this resolves cannot miss one.
   */
  async subscribe(site: string, page: string, listener: LiveListener): Promise<() => void> {
    const key = pageKey(site, page);
    let channel = this.channels.get(key);
    if (!channel) {
      channel = new PageChannel(this.store, this.views, site, page);
      const created = channel;
      created.unsubscribeNotifier = this.notifier.subscribe(site, page, () => created.pull());
      this.channels.set(key, created);
    }
    const unsubscribe = channel.add(listener);
    await channel.ready;
    return () => {
      unsubscribe();
      if (channel.size === 0 && this.channels.get(key) === channel) {
        this.channels.delete(key);
        channel.unsubscribeNotifier?.();
      }
    };
  }

  /** What a reader who saw events up to `afterId` may be told: the window's events, as their comments are now. */
  async replay(site: string, page: string, afterId: string): Promise<LiveEvent[]> {
    const since = new Date(this.clock.now().getTime() - REPLAY_MAX_AGE_MS).toISOString();
    const rows = await listRecentEventsAfter(this.store.db, site, page, afterId, since, REPLAY_MAX_EVENTS);
    return (await presentEvents(this.store, this.views, rows)).filter((event): event is LiveEvent => event !== undefined);
  }
}

class PageChannel {
  private readonly listeners = new Set<LiveListener>();
  private cursor: string | null = null;
  private pulling: Promise<void> | undefined;
  private again = false;
  readonly ready: Promise<void>;
  unsubscribeNotifier: (() => void) | undefined;

  constructor(
    private readonly store: Store,
    private readonly views: CommentViews,
    private readonly site: string,
    private readonly page: string,
  ) {
    this.ready = lastEventId(store.db, site, page).then((id) => {
      this.cursor = id ?? '0';
    });
  }

  get size(): number {
    return this.listeners.size;
  }

  add(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads new events once at a time; a notification during a read triggers one more read. */
  pull(): void {
    if (this.pulling) {
      this.again = true;
      return;
    }
    this.pulling = (async () => {
      await this.ready;
      do {
        this.again = false;
        const rows = await listEventsAfter(this.store.db, this.site, this.page, this.cursor);
        const events = await presentEvents(this.store, this.views, rows);
        for (const [index, row] of rows.entries()) {
          this.cursor = row.id;
          const event = events[index];
          if (event) for (const listener of [...this.listeners]) listener(event);
        }
        if (rows.length === 1000) this.again = true;
      } while (this.again);
    })()
      .catch((error: unknown) => console.error('Live feed read failed', error))
      .finally(() => {
        this.pulling = undefined;
      });
  }
}
