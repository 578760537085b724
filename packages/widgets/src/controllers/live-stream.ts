import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Comment, CommentDeletedEventData, StreamEventType } from '@parley/schema';

export type StreamListener = (type: StreamEventType, data: Comment | CommentDeletedEventData) => void;

const TYPES: StreamEventType[] = ['comment.created', 'comment.updated', 'comment.deleted'];

/**
 * One `EventSource` on `GET /api/stream` while the host is connected. `follow(url)` opens it (or
 * closes it with `null`), reopening only when the URL changes; the browser reconnects on its own
 * and resumes with `Last-Event-ID`.
 */
export class LiveStreamController implements ReactiveController {
  #source?: EventSource;
  #url: string | null = null;
  readonly #listener: StreamListener;

  constructor(host: ReactiveControllerHost, listener: StreamListener) {
    this.#listener = listener;
    host.addController(this);
  }

  follow(url: string | null): void {
    if (url === this.#url) return;
    this.#close();
    this.#url = url;
    if (!url) return;
    const source = (this.#source = new EventSource(url));
    for (const type of TYPES) {
      source.addEventListener(type, (event) => {
        let data;
        try {
          data = JSON.parse((event as MessageEvent<string>).data);
        } catch {
          return; // A malformed event is skipped; the next full load repairs the view.
        }
        this.#listener(type, data);
      });
    }
  }

  /** Whether a stream is open (or reconnecting). */
  get open(): boolean {
    return !!this.#source && this.#source.readyState !== EventSource.CLOSED;
  }

  #close(): void {
    this.#source?.close();
    this.#source = undefined;
    this.#url = null;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#close();
  }
}
