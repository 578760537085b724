import type { CommentThread } from '@parley/schema';

/** Fired by `<parley-comments>` each time a thread finished loading. */
export class ParleyCommentsLoadedEvent extends Event {
  static readonly eventName = 'parley-comments-loaded';
  /** The thread as the server sent it. */
  readonly thread: CommentThread;

  constructor(thread: CommentThread) {
    super(ParleyCommentsLoadedEvent.eventName, { bubbles: true, composed: true });
    this.thread = thread;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-comments-loaded': ParleyCommentsLoadedEvent;
  }
}
