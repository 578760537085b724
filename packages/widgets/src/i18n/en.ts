import type { Translation } from './translation.ts';
import { relativeTime } from './relative-time.ts';

const plural = new Intl.PluralRules('en');
const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short' });

export const en: Translation = {
  $code: 'en',
  $dir: 'ltr',

  commentsHeading: 'Leave a Comment',
  relatedHeading: 'You may also like',
  loading: 'Loading…',
  loadCommentsError: 'Comments could not be loaded.',
  loadRelatedError: 'Related articles could not be loaded.',
  retry: 'Retry',
  noComments: 'No comments yet. Be the first!',
  noRelated: 'No related articles yet.',
  anonymous: 'Anonymous',
  nameLabel: 'Name',
  optional: '(optional)',
  bodyLabel: 'Comment',
  submit: 'Post comment',
  submitReply: 'Post reply',
  posting: 'Posting…',
  reply: 'Reply',
  replyTo: (name) => `Reply to ${name}`,
  cancel: 'Cancel',
  commentPosted: 'Comment posted',
  postError: (message) => `Your comment was not posted: ${message}`,
  commentCount: (count) =>
    count === 0 ? 'No comments' : `${count.toLocaleString('en')} ${plural.select(count) === 'one' ? 'comment' : 'comments'}`,
  relativeTime: (date, now) => relativeTime('en', date, now),
  dateTime: (date) => dateTime.format(date),
};
