import type { PostedComment } from '@parley/schema';

/** Fired by `<parley-comments>` after the server accepted a new comment or reply. */
export class ParleyCommentPostedEvent extends Event {
  static readonly eventName = 'parley-comment-posted';
  /** The comment as the server stored it (with `body`; `editToken` is the reader's secret: do not send it anywhere). */
  readonly comment: PostedComment;

  constructor(comment: PostedComment) {
    super(ParleyCommentPostedEvent.eventName, { bubbles: true, composed: true });
    this.comment = comment;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-comment-posted': ParleyCommentPostedEvent;
  }
}
