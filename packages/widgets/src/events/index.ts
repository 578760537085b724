export { ParleyCommentPostedEvent } from './comment-posted.ts';
export { ParleyCommentsLoadedEvent } from './comments-loaded.ts';
