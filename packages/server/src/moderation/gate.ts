import type { Clock } from '../clock.ts';
import { AppError } from '../lib/errors.ts';
import { DatabaseRateLimitStore } from '../rate-limit/database-store.ts';
import { enforceRateLimits, type RateLimitCheck, type RateLimitStore } from '../rate-limit/rate-limit.ts';
import type { ModerationService } from '../services/moderation.ts';
import type { SiteRegistry } from '../sites/registry.ts';
import type { Identity } from '../services/comments-identity.ts';
import { findCommentById } from '../store/comments.repository.ts';
import { recordFingerprint, seenRecently } from '../store/fingerprints.repository.ts';
import type { Store } from '../store/store.ts';
import type { Kysely } from 'kysely';
import type { Writes } from '../store/later-writes.ts';
import type { Database } from '../store/schema.ts';
import { deferredChecks, type DeferredChecks } from './deferred-checks.ts';
import { spamCheckFor } from './index.ts';
import { moderate, type ModerationResult } from './moderate.ts';
import { normalisedBodyHash } from './rules.ts';
import type { SpamCheck } from './spam-check.ts';

export interface GateComment {
  site: string;
  page: string;
  body: string;
  authorName?: string | null;
  authorEmail?: string | null;
  parentId?: string | null;
  /** Hidden honeypot field and how long the form was open (ms), as the widget sent them. */
  honeypot?: string | null;
  fillMs?: number;
}

export interface GateRequest {
  /** Raw IP: only for the spam service, never stored. */
  ip: string;
  /** The salted hashes the comments service stores (comments.ip_hash, comments.author_email_hash). */
  ipHash: string;
  emailHash?: string | null;
  userAgent?: string;
  referrer?: string;
  /** Absolute URL of the page, for the spam service. */
  permalink?: string;
  /** The author token the reader's browser presented (the `first-time` rule). */
  authorToken?: string;
}

/** The gate's verdict, and what the comment's transaction must remember if it is stored. */
export interface GateResult extends ModerationResult {
  remember: (writes: Writes) => void;
  /** Checks left to the comment's write (`defer`): its change must attach them. */
  deferred?: DeferredChecks;
}

/** 422 `comment_rejected`: the message is the reason, worded to be safe to show the reader. */
export class CommentRejectedError extends AppError {
  constructor(readonly result: ModerationResult) {
    super(422, 'comment_rejected', result.reason);
    this.name = 'CommentRejectedError';
  }
}

/**
 * Everything between "a valid new comment arrived" and "store it as visible or pending", in one call
 * for comment posting:
 * 1. the site's rate limits per IP hash, per author, per page → 429 `rate_limited` + Retry-After;
 * 2. `moderate()` with bans, duplicates, links, blocked words, the spam service and the site's mode;
 * 3. a rejection throws CommentRejectedError (422, reason safe to show); otherwise the result says
 *    publish or hold, and `remember` records the body's fingerprint (duplicate detection) in the
 *    transaction that stores the comment.
 */
export class CommentGate {
  readonly #spamChecks = new Map<string, SpamCheck | undefined>();

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      sites: SiteRegistry;
      limits: RateLimitStore;
      moderation: ModerationService;
      /** Replaces the site's configured spam service (tests, other providers). */
      spamCheck?: (siteId: string) => SpamCheck | undefined;
      /** Verifies author tokens (the comments service's identity); without it nobody is "approved before". */
      identity?: () => Promise<Identity>;
    },
  ) {}

  /**
   * `defer`: on PostgreSQL with the counters in the database and no spam service for the site, the
   * rate limits and the duplicate rule are left to the comment's write (see deferred-checks.ts):
   * the result's `deferred` must then go into the change that stores the comment.
   */
  async check(comment: GateComment, request: GateRequest, options: { defer?: boolean } = {}): Promise<GateResult> {
    const { store, clock, sites, limits, moderation } = this.deps;
    const site = sites.get(comment.site);
    // A name alone is not an identity: keyed by name only, every "john" on a news site shared one
    // bucket. Without an email the author is the name from this address (the per-IP limit still
    // catches one source rotating names).
    const authorKey = request.emailHash || (comment.authorName ? `name:${comment.authorName.trim().toLowerCase()}:${request.ipHash}` : undefined);
    const checks: RateLimitCheck[] = [
      { key: `post:${site.id}:ip:${request.ipHash}`, ...site.rateLimits.perIp, label: 'from your network' },
      { key: `post:${site.id}:page:${comment.page}`, ...site.rateLimits.perPage, label: 'on this page' },
    ];
    if (authorKey) checks.push({ key: `post:${site.id}:author:${authorKey}`, ...site.rateLimits.perAuthor, label: 'by you' });
    const now = clock.now();
    const bodyHash = normalisedBodyHash(comment.body);
    const actors = [request.ipHash, ...(request.emailHash ? [request.emailHash] : [])];
    const since = new Date(now.getTime() - site.duplicateWindowSeconds * 1000).toISOString();
    const deferred =
      options.defer && this.#deferrable(site.id)
        ? deferredChecks(limits, checks, now, site.duplicateWindowSeconds > 0 ? { site: site.id, bodyHash, actors, since } : undefined)
        : undefined;
    if (!deferred) await enforceRateLimits(limits, checks);

    const result = await moderate(comment, site, {
      ip: request.ip,
      ...(request.userAgent ? { userAgent: request.userAgent } : {}),
      ...(request.referrer ? { referrer: request.referrer } : {}),
      now: now.getTime(),
      ...(request.emailHash ? { authorKey: request.emailHash } : {}),
      hasApprovedComment: (emailHash) => this.#approvedBefore(site.id, emailHash, request.authorToken),
      ...(deferred ? {} : { isDuplicate: () => seenRecently(store.db, site.id, bodyHash, actors, since) }),
      isBanned: () => moderation.isBanned(site.id, { emailHash: request.emailHash ?? null, ipHash: request.ipHash }),
      ...this.#spamCheck(site.id),
    });
    if (result.decision === 'reject') {
      await deferred?.count();
      throw new CommentRejectedError(result);
    }
    // Remembered in the comment's own transaction (one write per post), for the duplicate rule.
    return { ...result, remember: (writes) => recordFingerprint(writes, site.id, bodyHash, actors, now.toISOString()), ...(deferred ? { deferred } : {}) };
  }

  /** The counters live in this PostgreSQL database, and nothing slow (the spam service) must wait behind them. */
  #deferrable(siteId: string): boolean {
    return this.deps.store.dialect === 'postgres' && this.deps.limits instanceof DatabaseRateLimitStore && !this.#spamCheck(siteId).spamCheck;
  }

  /**
   * An edit's new text: the same rules as a new comment except those about the act of posting
   * (rate limits, bot traps, duplicates). Bans, links, blocked words, the spam service and the
   * site's mode apply, so an approved comment cannot be edited into spam on a moderated site.
   */
  async checkEdit(comment: GateComment, request: GateRequest, options: { published: boolean }): Promise<ModerationResult> {
    const { store, clock, sites, moderation } = this.deps;
    const site = sites.get(comment.site);
    const result = await moderate({ ...comment, honeypot: null }, site, {
      ip: request.ip,
      ...(request.userAgent ? { userAgent: request.userAgent } : {}),
      ...(request.referrer ? { referrer: request.referrer } : {}),
      now: clock.now().getTime(),
      authorKey: request.emailHash ?? 'edit-token',
      // The edit token proves authorship of this comment: under `first-time` its author is known
      // when this very comment was approved, whatever the email says.
      hasApprovedComment: async () => options.published,
      isBanned: () => moderation.isBanned(site.id, { emailHash: request.emailHash ?? null, ipHash: request.ipHash }),
      ...this.#spamCheck(site.id),
    });
    if (result.decision === 'reject') throw new CommentRejectedError(result);
    return result;
  }

  /**
   * The `first-time` rule's "approved before": an email address alone proves nothing (anyone can
   * type bob@news.example). The reader must present the author token their browser was given when
   * they posted with that email, and the comment it names must be theirs, on this site, and approved.
   */
  async #approvedBefore(siteId: string, emailHash: string, token: string | undefined): Promise<boolean> {
    if (!token || !this.deps.identity) return false;
    const commentId = (await this.deps.identity()).verifyAuthorToken(token, emailHash);
    if (!commentId) return false;
    const row = await findCommentById(this.deps.store.db, commentId);
    return row !== undefined && row.site === siteId && row.status === 'visible' && row.author_email_hash === emailHash;
  }

  #spamCheck(siteId: string): { spamCheck?: SpamCheck } {
    if (!this.#spamChecks.has(siteId)) {
      this.#spamChecks.set(siteId, this.deps.spamCheck ? this.deps.spamCheck(siteId) : spamCheckFor(this.deps.sites.get(siteId)));
    }
    const spamCheck = this.#spamChecks.get(siteId);
    return spamCheck ? { spamCheck } : {};
  }
}
