export { ParleyCommentPostedEvent } from './comment-posted.ts';
export { ParleyCommentEditedEvent } from './comment-edited.ts';
export { ParleyCommentDeletedEvent } from './comment-deleted.ts';
export { ParleyCommentsLoadedEvent } from './comments-loaded.ts';
