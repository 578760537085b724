/** Every string the widgets show. Counts and times are functions so each language can use `Intl`. */
export interface Translation {
  /** BCP 47 code of the language, e.g. `en`. */
  $code: string;
  $dir: 'ltr' | 'rtl';

  commentsHeading: string;
  relatedHeading: string;
  loading: string;
  loadCommentsError: string;
  loadRelatedError: string;
  retry: string;
  noComments: string;
  noRelated: string;
  anonymous: string;
  nameLabel: string;
  emailLabel: string;
  /** Next to the email field: what it is for and that it is never shown. */
  emailHint: string;
  remember: string;
  optional: string;
  bodyLabel: string;
  /** Under the textarea: which markdown works. */
  markdownHint: string;
  write: string;
  preview: string;
  previewEmpty: string;
  submit: string;
  submitReply: string;
  posting: string;
  save: string;
  reply: string;
  replyTo: (name: string) => string;
  /** Shown on replies deeper than `max-depth`. */
  inReplyTo: (name: string) => string;
  cancel: string;
  edit: string;
  delete: string;
  /** After the time of an edited comment. */
  edited: string;
  /** Stands in for a deleted comment that has replies. */
  deleted: string;
  like: string;
  commentPosted: string;
  commentEdited: string;
  commentDeleted: string;
  postError: (message: string) => string;
  /** Edit or delete refused: `forbidden` (not the author's token) and `edit_window_closed`. */
  forbidden: string;
  editWindowClosed: string;
  /** Label of the hidden honeypot field (people never see it; some screen readers might). */
  honeypotLabel: string;
  /** The badge on the reader's own comment while a moderator has not approved it. */
  pendingBadge: string;
  /** Announced after posting a comment that waits for approval. */
  commentPending: string;
  /** A 429 answer: "You're posting too fast — please try again in 30 seconds". */
  tooFast: (seconds: number) => string;
  /** The Report button under other readers' comments, and its form. */
  report: string;
  reportReason: string;
  reportDetail: string;
  sendReport: string;
  /** The reasons a reader can pick, in the order of the schema's FLAG_REASONS. */
  reasonSpam: string;
  reasonAbuse: string;
  reasonOffTopic: string;
  reasonPersonalData: string;
  reasonOther: string;
  /** After a report was accepted, and after 409 `already_flagged`. */
  reported: string;
  alreadyReported: string;
  sortLabel: string;
  sortOldest: string;
  sortNewest: string;
  sortTop: string;
  moreComments: string;
  /** "Show 3 more replies". */
  moreReplies: (count: number) => string;
  /** The collapse/expand toggle of a branch: "3 replies". */
  replies: (count: number) => string;
  /** The live-update banner: "2 new comments — show". */
  newComments: (count: number) => string;
  /** The checkbox that shows once an email is given: mail me replies (double opt-in). */
  notifyReplies: string;
  /** The counter near the body limit: "9,500 / 10,000". */
  characters: (count: string, limit: string) => string;
  /** Why an over-long comment is not sent: "Too long by 2,000 characters: shorten it to post." */
  tooLong: (over: number) => string;
  /** After "Your comment was not posted: " when the reasons are next to the fields. */
  fixFields: string;
  /** The question Delete asks first. */
  confirmDelete: string;
  /** Under the load error when no answer came (the server is down, or it does not allow this page's origin). */
  serverUnreachable: string;
  /** On the comment form when its writing tools (a chunk of their own) could not be loaded; a Retry button follows. */
  writerError: string;
  /** On the form when the server refuses the site (GET /api/sites/:id): "Comments cannot be posted here: Unknown site "x"". */
  siteProblem: (message: string) => string;
  /** The count line while the only comments shown are the reader's own, waiting for approval. */
  yourPending: (count: number) => string;
  /** "3 comments", "1 comment", "No comments". */
  commentCount: (count: number) => string;
  /** "5 minutes ago", "yesterday". */
  relativeTime: (date: Date, now?: Date) => string;
  /** The exact time, for a tooltip. */
  dateTime: (date: Date) => string;
}

/**
 * Plural forms keyed by `Intl.PluralRules` category (`one`, `few`, `many`, `other`, …) plus
 * `=0` for an exact zero; `#` is replaced by the localised number.
 */
export type Plural = { other: string } & Partial<Record<Intl.LDMLPluralRule | '=0', string>>;

/**
 * How a language is written down (`i18n/lang/*.ts`): plain strings, `{0}` for a string
 * argument, {@link Plural} tables for counts. Times come from `Intl` in the language's `$code`.
 */
export type TranslationData = {
  [K in Exclude<keyof Translation, 'relativeTime' | 'dateTime'>]: Translation[K] extends (count: number) => string
    ? Plural
    : Translation[K] extends (...args: string[]) => string
      ? string
      : Translation[K];
};
