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
  optional: string;
  bodyLabel: string;
  submit: string;
  submitReply: string;
  posting: string;
  reply: string;
  replyTo: (name: string) => string;
  cancel: string;
  commentPosted: string;
  postError: (message: string) => string;
  /** "3 comments", "1 comment", "No comments". */
  commentCount: (count: number) => string;
  /** "5 minutes ago", "yesterday". */
  relativeTime: (date: Date, now?: Date) => string;
  /** The exact time, for a tooltip. */
  dateTime: (date: Date) => string;
}
