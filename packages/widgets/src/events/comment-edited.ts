import type { CommentWithSource } from '@parley/schema';

/** Fired by `<parley-comments>` after the reader edited one of their own comments. */
export class ParleyCommentEditedEvent extends Event {
  static readonly eventName = 'parley-comment-edited';
  /** The comment as the server stored it after the edit (with its new `body` and `html`). */
  readonly comment: CommentWithSource;

  constructor(comment: CommentWithSource) {
    super(ParleyCommentEditedEvent.eventName, { bubbles: true, composed: true });
    this.comment = comment;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-comment-edited': ParleyCommentEditedEvent;
  }
}
