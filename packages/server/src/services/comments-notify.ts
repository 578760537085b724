import type { Clock } from '../clock.ts';
import { AppError } from '../lib/errors.ts';
import type { Mailer } from '../notify/email.ts';
import type { WebhookWorker } from '../notify/webhooks.ts';
import type { WebhookEvent } from '../sites/config.ts';
import type { SiteRegistry } from '../sites/registry.ts';
import { findCommentById, findReplySubscription, insertReplySubscriptionQuery, updateReplySubscription } from '../store/comments.repository.ts';
import type { Writes } from '../store/later-writes.ts';
import type { CommentRow } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { Identity } from './comments-identity.ts';
import type { SingleUseLinks } from './single-use-links.ts';
import { replyNoticeMail, replyOptInMail, type ReaderMailer } from './comments-mail.ts';
import type { Kysely } from 'kysely';
import { ulid } from 'ulidx';
import { insertOutboxQuery, type OutboxRow } from '../store/outbox.repository.ts';
import type { Database } from '../store/schema.ts';
import type { SideEffects, StagedExtra } from './lifecycle/lifecycle.ts';

/** How long a reply-notification opt-in link works. */
const OPT_IN_VALID_MS = 7 * 24 * 3600_000;
/** Unsubscribe links in notices keep working for a long time (a year). */
const UNSUBSCRIBE_VALID_MS = 365 * 24 * 3600_000;

export interface CommentNotifierDeps {
  store: Store;
  clock: Clock;
  sites: SiteRegistry;
  identity: () => Promise<Identity>;
  /** Records webhook deliveries (the server's worker sends them). */
  webhooks: Pick<WebhookWorker, 'enqueue'>;
  /** Moderator mail; unset without PARLEY_SMTP_URL. */
  moderatorMailer?: Mailer | undefined;
  /** Reader mail (opt-ins and reply notices); unset without PARLEY_SMTP_URL. */
  readerMailer?: ReaderMailer | undefined;
  /** PARLEY_PUBLIC_URL: every link in mail starts here (never at a request's Host); without it no mail with links is sent. */
  publicUrl?: string | undefined;
  /** Makes opt-in and unsubscribe links single-use. */
  links?: SingleUseLinks | undefined;
  logError: (message: string, error: unknown) => void;
}

/** Outbox kinds this module writes and sends. */
type MailKind = 'mail.moderators' | 'mail.reply-opt-in' | 'mail.reply-notice';
interface MailPayload {
  commentId: string;
  pageUrl: string;
  /** Ignored when sending: links come from PARLEY_PUBLIC_URL only (kept so older rows still parse). */
  serverUrl?: string | undefined;
  reason?: string | undefined;
}

/**
 * A comment change's side effects, staged in the change's own transaction (the outbox) and sent
 * by whichever instance claims them: webhook deliveries (`comment.created`, `comment.pending`,
 * `comment.approved`, `comment.deleted`), mail to the site's moderators for a comment that waits,
 * and reply notifications (double opt-in, then one mail per published reply, with a one-click
 * unsubscribe link). Nothing is sent while the reader waits, and nothing is lost when a send fails
 * or the process dies: the row stays until a worker sends it.
 */
export class CommentNotifier implements SideEffects {
  constructor(private readonly deps: CommentNotifierDeps) {}

  /** The reader mailer, shared with privacy requests. */
  get readerMailer(): ReaderMailer | undefined {
    return this.deps.readerMailer;
  }

  async stage(writes: Writes, site: string, event: WebhookEvent, comment: { id: string; site: string } & Record<string, unknown>, extra: StagedExtra = {}): Promise<{ outbox: boolean }> {
    const deliveries = await this.deps.webhooks.enqueue(site, event, comment, writes);
    const row = extra.row;
    const pageUrl = pageUrlOf(this.#siteOrigin(site, extra.origin), (comment.page as string | undefined) ?? row?.page ?? '');
    const mails: Array<{ kind: MailKind; payload: MailPayload }> = [];
    // Mail carries links built from the configured public URL only: `extra.serverUrl` (a request's idea of it) is not used.
    const serverUrl = this.deps.publicUrl;
    if (!serverUrl) return { outbox: deliveries.length > 0 };
    if (event === 'comment.pending' && row && this.deps.moderatorMailer && (this.deps.sites.find(site)?.moderators ?? []).length > 0) {
      mails.push({ kind: 'mail.moderators', payload: { commentId: row.id, pageUrl, reason: extra.reason } });
    }
    if (row && extra.notify && row.author_email && this.deps.readerMailer) {
      writes.later(insertReplySubscriptionQuery(writes.trx, { comment_id: row.id, site: row.site, email: row.author_email, created_at: this.deps.clock.now().toISOString(), confirmed_at: null, unsubscribed_at: null }));
      mails.push({ kind: 'mail.reply-opt-in', payload: { commentId: row.id, pageUrl } });
    }
    if ((event === 'comment.created' || event === 'comment.approved') && row?.parent_id && this.deps.readerMailer && (await this.#subscribed(writes.trx, row.parent_id))) {
      mails.push({ kind: 'mail.reply-notice', payload: { commentId: row.id, pageUrl } });
    }
    const now = this.deps.clock.now().toISOString();
    if (mails.length > 0) writes.later(insertOutboxQuery(writes.trx, mails.map((mail) => ({ id: ulid(), kind: mail.kind, site, payload: JSON.stringify(mail.payload), next_attempt_at: now, created_at: now }))));
    return { outbox: mails.length > 0 || deliveries.length > 0 };
  }

  /**
   * The origin page links in mail use: the writer's Origin only when the site lists it explicitly
   * (with `"*"` anyone may claim any origin), else the site's first configured origin, else none.
   */
  #siteOrigin(siteId: string, requestOrigin: string | undefined): string | undefined {
    const origins = (this.deps.sites.find(siteId)?.origins ?? []).filter((origin) => origin !== '*');
    if (requestOrigin && origins.includes(requestOrigin)) return requestOrigin;
    return origins[0];
  }

  /** Whether the parent's author confirmed reply notifications (decided when the reply is written). */
  async #subscribed(db: Kysely<Database>, parentId: string): Promise<boolean> {
    const subscription = await findReplySubscription(db, parentId);
    return Boolean(subscription?.confirmed_at && !subscription.unsubscribed_at);
  }

  /** Sends one claimed outbox row; throws to have it retried. A comment gone meanwhile sends nothing. */
  async deliver(row: Pick<OutboxRow, 'kind' | 'payload'>): Promise<void> {
    const payload = { ...(JSON.parse(row.payload) as MailPayload), serverUrl: this.deps.publicUrl };
    if (!payload.serverUrl) return;
    const comment = await findCommentById(this.deps.store.db, payload.commentId);
    if (!comment) return;
    if (row.kind === 'mail.moderators') return this.#notifyModerators(comment, payload);
    if (row.kind === 'mail.reply-opt-in') return this.#askToSubscribe(comment, payload);
    if (row.kind === 'mail.reply-notice') return this.#notifyParentAuthor(comment, payload);
    throw new Error(`Unknown outbox kind ${row.kind}`);
  }

  /** `GET /api/notifications/confirm?token=`: the double opt-in link. */
  async confirm(token: string): Promise<{ commentId: string; subscribed: true }> {
    await this.deps.links?.consume('reply-opt-in', token);
    const payload = (await this.deps.identity()).verify<{ c: string }>('reply-opt-in', token, this.deps.clock.now().getTime());
    if (!payload) throw new AppError(400, 'validation_failed', 'This link is invalid or has expired');
    const now = this.deps.clock.now().toISOString();
    if (!(await updateReplySubscription(this.deps.store.db, payload.c, { confirmed_at: now, unsubscribed_at: null }))) {
      throw new AppError(404, 'not_found', 'This comment no longer exists');
    }
    return { commentId: payload.c, subscribed: true };
  }

  /** `GET|POST /api/notifications/unsubscribe?token=`: one click, no login. */
  async unsubscribe(token: string): Promise<{ commentId: string; subscribed: false }> {
    await this.deps.links?.consume('reply-unsubscribe', token);
    const payload = (await this.deps.identity()).verify<{ c: string }>('reply-unsubscribe', token, this.deps.clock.now().getTime());
    if (!payload) throw new AppError(400, 'validation_failed', 'This link is invalid or has expired');
    await updateReplySubscription(this.deps.store.db, payload.c, { unsubscribed_at: this.deps.clock.now().toISOString() });
    return { commentId: payload.c, subscribed: false };
  }

  async #notifyModerators(row: CommentRow, payload: MailPayload): Promise<void> {
    const mailer = this.deps.moderatorMailer;
    const moderators = this.deps.sites.find(row.site)?.moderators ?? [];
    // Approved, rejected or erased before the mail went: nothing waits any more.
    if (!mailer || moderators.length === 0 || (row.status !== 'pending' && row.status !== 'spam')) return;
    await mailer.notifyModerators(moderators, {
      site: row.site,
      event: 'comment.pending',
      authorName: row.author_name,
      authorEmail: row.author_email,
      pageUrl: payload.pageUrl,
      body: row.body,
      ...(payload.reason ? { reason: payload.reason } : {}),
      consoleUrl: `${payload.serverUrl}/admin/comments/${row.id}`,
    });
  }

  async #askToSubscribe(row: CommentRow, payload: MailPayload): Promise<void> {
    const mailer = this.deps.readerMailer;
    if (!mailer || !row.author_email || !payload.serverUrl) return;
    const identity = await this.deps.identity();
    const token = identity.sign('reply-opt-in', { c: row.id }, this.deps.clock.now().getTime() + OPT_IN_VALID_MS);
    await mailer.send(replyOptInMail({ to: row.author_email, site: row.site, pageUrl: payload.pageUrl, confirmUrl: `${payload.serverUrl}/api/notifications/confirm?token=${encodeURIComponent(token)}` }));
  }

  async #notifyParentAuthor(reply: CommentRow, payload: MailPayload): Promise<void> {
    const mailer = this.deps.readerMailer;
    if (!mailer || !reply.parent_id || reply.status !== 'visible' || !payload.serverUrl) return;
    const subscription = await findReplySubscription(this.deps.store.db, reply.parent_id);
    if (!subscription || !subscription.confirmed_at || subscription.unsubscribed_at) return;
    const parent = await findCommentById(this.deps.store.db, reply.parent_id);
    // The parent's author erased it, or replies to oneself.
    if (!parent || parent.status !== 'visible' || !parent.author_email) return;
    if (reply.author_email && reply.author_email.trim().toLowerCase() === parent.author_email.trim().toLowerCase()) return;
    const identity = await this.deps.identity();
    const token = identity.sign('reply-unsubscribe', { c: parent.id }, this.deps.clock.now().getTime() + UNSUBSCRIBE_VALID_MS);
    await mailer.send(
      replyNoticeMail({
        to: parent.author_email,
        site: reply.site,
        pageUrl: payload.pageUrl,
        replyAuthor: reply.author_name,
        replyBody: reply.body,
        unsubscribeUrl: `${payload.serverUrl}/api/notifications/unsubscribe?token=${encodeURIComponent(token)}`,
      }),
    );
  }
}

/** An absolute page URL when the page id is a path and the writer's origin is known; else the page id. */
export function pageUrlOf(origin: string | undefined, page: string): string {
  if (origin && page.startsWith('/') && /^https?:\/\/[^/]+$/i.test(origin)) return `${origin}${page}`;
  return page;
}
