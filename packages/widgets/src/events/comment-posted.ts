import type { Comment } from '@parley/schema';

/** Fired by `<parley-comments>` after the server accepted a new comment or reply. */
export class ParleyCommentPostedEvent extends Event {
  static readonly eventName = 'parley-comment-posted';
  /** The comment as the server stored it. */
  readonly comment: Comment;

  constructor(comment: Comment) {
    super(ParleyCommentPostedEvent.eventName, { bubbles: true, composed: true });
    this.comment = comment;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-comment-posted': ParleyCommentPostedEvent;
  }
}
