import type { ModerationDecision, ModerationReasonCode } from '@parley/schema';
import type { SiteSettings } from '../sites/config.ts';
import { findBlockedWord, honeypotTripped, submittedTooFast, tooManyLinks } from './rules.ts';
import type { SpamCheck, SpamCheckComment, SpamCheckContext } from './spam-check.ts';

export interface ModerationInput extends SpamCheckComment {
  /** The hidden honeypot field as the form sent it. */
  honeypot?: string | null;
  /** How long the form was open before it was sent (ms, the reader's own measurement). */
  fillMs?: number;
}

export interface ModerationContext extends SpamCheckContext {
  /** Now, epoch ms (from the app's clock). */
  now: number;
  /** Author identity for the first-time rule (email hash, else undefined: an anonymous author is always "first-time"). */
  authorKey?: string;
  /** Whether this author already has an approved comment on the site (asked only in `first-time` mode). */
  hasApprovedComment?: (authorKey: string) => Promise<boolean>;
  /** Whether the same normalised body came from this author or IP within the site's window (the lead's query). */
  isDuplicate?: () => Promise<boolean>;
  /** Whether the author's email or IP hash is banned on the site. */
  isBanned?: () => Promise<boolean>;
  /** The site's spam service, if configured (see `spamCheckFor`). */
  spamCheck?: SpamCheck;
}

export interface ModerationResult {
  decision: ModerationDecision;
  reasonCode: ModerationReasonCode;
  /** Says why, in words safe to show the reader (never reveals which word or which rule set matched spam). */
  reason: string;
}

const result = (decision: ModerationDecision, reasonCode: ModerationReasonCode, reason: string): ModerationResult => ({
  decision,
  reasonCode,
  reason,
});

/**
 * Decides what happens to a new comment, cheapest checks first:
 * 1. bot traps (honeypot, too fast) → reject; the reason is deliberately vague;
 * 2. bans → reject; 3. duplicates → reject ("you already posted this");
 * 4. too many links → reject, saying the limit (safe and actionable);
 * 5. blocked words → hold for a moderator (a word list misfires; never lose the comment);
 * 6. spam service: spam → hold as spam; unknown → carry on (an outage must not block everyone);
 * 7. site mode: `all` → hold; `first-time` with no approved comment by this author → hold; else publish.
 * A held comment is stored as pending and the reader is told it waits for approval.
 */
export async function moderate(input: ModerationInput, site: SiteSettings, context: ModerationContext): Promise<ModerationResult> {
  if (site.honeypot && honeypotTripped(input.honeypot)) {
    return result('reject', 'honeypot', 'Your comment could not be accepted.');
  }
  if (submittedTooFast(input.fillMs, site.minFillSeconds)) {
    return result('reject', 'too_fast', 'That was quick! Please wait a few seconds and send your comment again.');
  }
  if (context.isBanned && (await context.isBanned())) {
    return result('reject', 'banned', 'You cannot comment on this site at the moment.');
  }
  if (site.duplicateWindowSeconds > 0 && context.isDuplicate && (await context.isDuplicate())) {
    return result('reject', 'duplicate', 'You have already posted this comment.');
  }
  if (tooManyLinks(input.body, site.maxLinks)) {
    return result('reject', 'too_many_links', `Comments may contain at most ${site.maxLinks} link${site.maxLinks === 1 ? '' : 's'}.`);
  }
  const text = [input.body, input.authorName ?? ''].join('\n');
  if (findBlockedWord(text, site.blockedWords) !== undefined) {
    return result('hold', 'blocked_word', 'Your comment is waiting for approval.');
  }
  if (context.spamCheck) {
    const verdict = await context.spamCheck.check(input, context);
    if (verdict === 'spam') return result('hold', 'spam', 'Your comment is waiting for approval.');
  }
  if (site.moderation === 'all') return result('hold', 'moderation_all', 'Your comment is waiting for approval.');
  if (site.moderation === 'first-time') {
    const known = context.authorKey && context.hasApprovedComment ? await context.hasApprovedComment(context.authorKey) : false;
    if (!known) return result('hold', 'first_time', 'Your first comment is waiting for approval.');
  }
  return result('publish', 'ok', 'Published.');
}
