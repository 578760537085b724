/** What a spam service is told about a comment. Every field is reader-supplied and hostile. */
export interface SpamCheckComment {
  body: string;
  authorName?: string | null;
  authorEmail?: string | null;
  /** Absolute URL of the page commented on. */
  permalink?: string;
  parentId?: string | null;
}

/** The request around it: raw IP and user agent go to the checker only, never to the store. */
export interface SpamCheckContext {
  ip: string;
  userAgent?: string;
  referrer?: string;
  /** `en`, `de`… */
  lang?: string;
}

export type SpamVerdict = 'ham' | 'spam' | 'unknown';

/** A pluggable spam service. `unknown` (outage, timeout, no key) must never lose a comment: hold it. */
export interface SpamCheck {
  readonly name: string;
  check(comment: SpamCheckComment, context: SpamCheckContext): Promise<SpamVerdict>;
}
