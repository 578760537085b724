import type { StreamEventType } from '@parley/schema';
import { lastEventId, listEventsAfter } from '../../store/comments.repository.ts';
import type { Store } from '../../store/store.ts';
import { pageKey, type Notifier } from './notifier.ts';

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

/** Stored payloads keep the gravatar hash; streams that did not ask for it get a copy without. */
export function toLiveEvent(row: { id: string; type: string; payload: string }): LiveEvent {
  const parsed = JSON.parse(row.payload) as { author?: { gravatar?: string } };
  let data = row.payload;
  if (parsed.author && 'gravatar' in parsed.author) {
    delete parsed.author.gravatar;
    data = JSON.stringify(parsed);
  }
  const type = row.type as StreamEventType;
  return { id: row.id, type, data, gravatarData: row.payload, frame: sseFrame(row.id, type, data), gravatarFrame: sseFrame(row.id, type, row.payload) };
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
 * Fans one page's events out to every stream open on it in this process. A notification makes the
 * page's channel read `comment_events` after the last id it delivered, once, however many streams
 * listen; streams then drop what they already sent. Reading from the table (rather than trusting the
 * notification's payload) is what makes a lost or reordered notification harmless.
 */
export class LiveFeed {
  private readonly channels = new Map<string, PageChannel>();

  constructor(
    private readonly store: Store,
    private readonly notifier: Notifier,
  ) {}

  /**
   * Starts delivering events committed from now on to `listener`; resolves once the channel knows
   * where "now" is, so a replay that starts after this resolves cannot miss one.
   */
  async subscribe(site: string, page: string, listener: LiveListener): Promise<() => void> {
    const key = pageKey(site, page);
    let channel = this.channels.get(key);
    if (!channel) {
      channel = new PageChannel(this.store, site, page);
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

  /** Events of a page after `afterId`, for replays. */
  async replay(site: string, page: string, afterId: string): Promise<LiveEvent[]> {
    const events: LiveEvent[] = [];
    let cursor = afterId;
    for (;;) {
      const rows = await listEventsAfter(this.store.db, site, page, cursor);
      for (const row of rows) events.push(toLiveEvent(row));
      if (rows.length < 1000) return events;
      cursor = rows[rows.length - 1]!.id;
    }
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
        for (const row of rows) {
          this.cursor = row.id;
          const event = toLiveEvent(row);
          for (const listener of [...this.listeners]) listener(event);
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
