import { buildTranslation } from './build.ts';
import type { TranslationData } from './translation.ts';
import type { WriterKey } from './en-writer.ts';
import type { RelatedKey } from './en-related.ts';

/**
 * English, built into the bundle; every other language loads on demand from `lang/`. The first
 * load holds what the reader sees (and the composer placeholder: label, textarea, submit); the
 * writing tools' own strings (`en-writer.ts`) and the related list's (`en-related.ts`) join this
 * object when their chunk loads, before anything reads them.
 */
const reader: Omit<TranslationData, WriterKey | RelatedKey> = {
  $code: 'en',
  $dir: 'ltr',

  commentsHeading: 'Leave a Comment',
  loading: 'Loading…',
  loadCommentsError: 'Comments could not be loaded.',
  retry: 'Retry',
  noComments: 'No comments yet. Be the first!',
  anonymous: 'Anonymous',
  bodyLabel: 'Comment',
  submit: 'Post comment',
  reply: 'Reply',
  replyTo: 'Reply to {0}',
  inReplyTo: 'in reply to {0}',
  edit: 'Edit',
  delete: 'Delete',
  edited: '(edited)',
  deleted: '[deleted]',
  like: 'Like',
  pendingBadge: 'Waiting for approval',
  report: 'Report',
  sortLabel: 'Sort by',
  sortOldest: 'Oldest',
  sortNewest: 'Newest',
  sortTop: 'Top',
  moreComments: 'Show more comments',
  moreReplies: { one: 'Show # more reply', other: 'Show # more replies' },
  replies: { one: '# reply', other: '# replies' },
  newComments: { one: '# new comment — show', other: '# new comments — show' },
  serverUnreachable: 'The comments server could not be reached.',
  writerError: 'The editor could not be loaded.',
  yourPending: { one: '# comment waiting for approval', other: '# comments waiting for approval' },
  commentCount: { '=0': 'No comments', one: '# comment', other: '# comments' },
};

export const en = buildTranslation(reader as TranslationData);
