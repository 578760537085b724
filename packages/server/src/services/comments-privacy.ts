import type { PrivacyRequestKind, PrivacyResult } from '@parley/schema';
import type { Clock } from '../clock.ts';
import { AppError } from '../lib/errors.ts';
import { enforceRateLimits, type RateLimitStore } from '../rate-limit/rate-limit.ts';
import type { SiteRegistry } from '../sites/registry.ts';
import { findCommentById, listCommentsByEmail } from '../store/comments.repository.ts';
import type { Store } from '../store/store.ts';
import { privacyConfirmationMail, type ReaderMailer } from './comments-mail.ts';
import type { CommentsService } from './comments.ts';

/** How long a confirmation link works. */
export const PRIVACY_LINK_VALID_HOURS = 24;
/** Requests per client IP per hour, and per email address per hour (no mail bombing). */
const PER_IP_PER_HOUR = 10;
const PER_EMAIL_PER_HOUR = 3;

/**
 * A reader's own data: export or erase every comment written with an email address on a site.
 * The request never says whether the address has comments (always 202); the owner of the mailbox
 * confirms with a signed, expiring link (nothing stored), which then does the work. The console
 * does the same at once through `run`.
 */
export class PrivacyService {
  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      sites: SiteRegistry;
      comments: CommentsService;
      limits: RateLimitStore;
      mailer?: ReaderMailer | undefined;
      logError: (message: string, error: unknown) => void;
    },
  ) {}

  /** `POST /api/privacy/requests`: rate limited, then a confirmation mail in the background. */
  async request(input: { site: string; email: string; kind: PrivacyRequestKind }, context: { ip: string; serverUrl: string }): Promise<void> {
    const site = this.deps.sites.get(input.site);
    const identity = await this.deps.comments.identity();
    const email = input.email.trim().toLowerCase();
    await enforceRateLimits(this.deps.limits, [
      { key: `privacy:ip:${identity.ipHash(context.ip)}`, max: PER_IP_PER_HOUR, windowSeconds: 3600, label: 'from your network' },
      { key: `privacy:email:${identity.readerHash(email)}`, max: PER_EMAIL_PER_HOUR, windowSeconds: 3600, label: 'for this address' },
    ]);
    const mailer = this.deps.mailer;
    if (!mailer) {
      // Answer the same as ever (no enumeration); the operator sees why nothing arrives.
      this.deps.logError('Privacy request not mailed', new Error('PARLEY_SMTP_URL is not set: confirmation mail cannot be sent'));
      return;
    }
    const expires = this.deps.clock.now().getTime() + PRIVACY_LINK_VALID_HOURS * 3600_000;
    const token = identity.sign('privacy', { s: site.id, e: email, k: input.kind }, expires);
    const confirmUrl = `${context.serverUrl}/api/privacy/confirm?token=${encodeURIComponent(token)}`;
    // Mailed whether or not the address has comments: the same work, the same answer, either way.
    mailer.send(privacyConfirmationMail({ to: email, site: site.id, kind: input.kind, confirmUrl, validHours: PRIVACY_LINK_VALID_HOURS })).catch((error: unknown) => {
      this.deps.logError('Privacy confirmation mail failed', error);
    });
  }

  /** `GET /api/privacy/confirm?token=`: the mailed link. */
  async confirm(token: string): Promise<PrivacyResult> {
    const identity = await this.deps.comments.identity();
    const payload = identity.verify<{ s: string; e: string; k: PrivacyRequestKind }>('privacy', token, this.deps.clock.now().getTime());
    if (!payload || (payload.k !== 'export' && payload.k !== 'delete')) {
      throw new AppError(400, 'validation_failed', 'This link is invalid or has expired; ask again');
    }
    return this.run({ site: payload.s, email: payload.e, kind: payload.k });
  }

  /** Export or erase now (the confirmed link, or the console). */
  async run(input: { site: string; email: string; kind: PrivacyRequestKind }): Promise<PrivacyResult> {
    const site = this.deps.sites.get(input.site);
    const email = input.email.trim().toLowerCase();
    const rows = await listCommentsByEmail(this.deps.store.db, site.id, email);
    if (input.kind === 'export') {
      return {
        kind: 'export',
        site: site.id,
        email,
        exportedAt: this.deps.clock.now().toISOString(),
        comments: rows.map((row) => ({
          id: row.id,
          page: row.page,
          parentId: row.parent_id,
          status: row.status,
          authorName: row.author_name,
          body: row.body,
          createdAt: row.created_at,
          editedAt: row.edited_at,
        })),
      };
    }
    let removed = 0;
    let anonymised = 0;
    // Newest first: replies go before the comments they answer, so fewer placeholders are left.
    for (const row of [...rows].reverse()) {
      const result = await this.deps.comments.lifecycle.change(row.site, row.page, async (tx) => {
        const current = await findCommentById(tx.trx, row.id);
        if (!current || current.author_email === null) return undefined;
        return this.deps.comments.erase(tx, current);
      });
      if (!result) continue;
      if (result.status === 'removed') removed++;
      else anonymised++;
    }
    return { kind: 'delete', site: site.id, email, removed, anonymised };
  }
}
