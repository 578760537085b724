/** Fired by `<parley-comments>` after the reader deleted one of their own comments. */
export class ParleyCommentDeletedEvent extends Event {
  static readonly eventName = 'parley-comment-deleted';
  /** The deleted comment's id. */
  readonly id: string;
  /** The page the comment was on. */
  readonly page: string;
  /** `deleted`: a "[deleted]" placeholder stays because it has replies; `removed`: it is gone. */
  readonly status: 'deleted' | 'removed';

  constructor(id: string, page: string, status: 'deleted' | 'removed') {
    super(ParleyCommentDeletedEvent.eventName, { bubbles: true, composed: true });
    this.id = id;
    this.page = page;
    this.status = status;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-comment-deleted': ParleyCommentDeletedEvent;
  }
}
