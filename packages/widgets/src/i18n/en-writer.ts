import { buildTranslation } from './build.ts';
import { en } from './en.ts';
import type { Translation, TranslationData } from './translation.ts';

/** The English strings only the writing tools show: in their chunk, not in the first load (`en.ts`). */
const writer = {
  nameLabel: 'Name',
  emailLabel: 'Email',
  emailHint: 'Never shown. Only the site owner sees it.',
  remember: 'Remember me',
  optional: '(optional)',
  markdownHint: 'Markdown: **bold**, *italic*, `code`, [link](https://…)',
  write: 'Write',
  preview: 'Preview',
  previewEmpty: 'Nothing to preview.',
  submitReply: 'Post reply',
  posting: 'Posting…',
  save: 'Save',
  cancel: 'Cancel',
  commentPosted: 'Comment posted',
  commentEdited: 'Comment edited',
  commentDeleted: 'Comment deleted',
  postError: 'Your comment was not posted: {0}',
  forbidden: 'Only the author can change this comment.',
  editWindowClosed: 'The time to edit or delete this comment is over.',
  honeypotLabel: 'Leave this field empty',
  commentPending: 'Your comment is waiting for approval',
  tooFast: { one: "You're posting too fast — please try again in # second", other: "You're posting too fast — please try again in # seconds" },
  reportReason: 'Reason',
  reportDetail: 'Details',
  sendReport: 'Send report',
  reasonSpam: 'Spam',
  reasonAbuse: 'Abuse or hate',
  reasonOffTopic: 'Off-topic',
  reasonPersonalData: 'Personal data',
  reasonOther: 'Other',
  reported: 'Thanks — a moderator will take a look',
  alreadyReported: 'You already reported this comment',
  notifyReplies: 'Email me when someone replies',
  characters: '{0} / {1}',
  tooLong: { one: 'Too long by # character: shorten it to post.', other: 'Too long by # characters: shorten it to post.' },
  fixFields: 'see the marked field.',
  confirmDelete: 'Delete this comment? This cannot be undone.',
  siteProblem: 'Comments cannot be posted here: {0}',
} satisfies Partial<TranslationData>;

export type WriterKey = keyof typeof writer;

/** Adds the writing tools' strings to `en` (idempotent) and returns it, complete. */
export function completeEnglish(): Translation {
  return Object.assign(en, buildTranslation({ ...writer, $code: 'en', $dir: 'ltr' } as TranslationData));
}
