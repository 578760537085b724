import type { Clock } from '../clock.ts';
import { AppError } from '../lib/errors.ts';
import type { Mailer } from '../notify/email.ts';
import type { WebhookWorker } from '../notify/webhooks.ts';
import type { WebhookEvent } from '../sites/config.ts';
import type { SiteRegistry } from '../sites/registry.ts';
import { findCommentById, findReplySubscription, insertReplySubscription, updateReplySubscription } from '../store/comments.repository.ts';
import type { CommentRow } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { Identity } from './comments-identity.ts';
import type { SingleUseLinks } from './single-use-links.ts';
import { replyNoticeMail, replyOptInMail, type ReaderMailer } from './comments-mail.ts';
import type { CommentHooks, HookComment } from './comments.ts';

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

/**
 * After a comment write commits: webhook deliveries (`comment.created`, `comment.pending`,
 * `comment.approved`, `comment.deleted`), mail to the site's moderators for a comment that waits,
 * and reply notifications (double opt-in, then one mail per published reply, with a one-click
 * unsubscribe link). Mail goes out in the background: a slow or dead SMTP server never holds a
 * reader's request, and its failures are logged.
 */
export class CommentNotifier implements CommentHooks {
  /** Mail in flight, so tests and shutdown can wait for it. */
  readonly #sending = new Set<Promise<unknown>>();

  constructor(private readonly deps: CommentNotifierDeps) {}

  /** The reader mailer, shared with privacy requests. */
  get readerMailer(): ReaderMailer | undefined {
    return this.deps.readerMailer;
  }

  async event(site: string, event: WebhookEvent, comment: HookComment, extra: Parameters<CommentHooks['event']>[3] = undefined): Promise<void> {
    await this.deps.webhooks.enqueue(site, event, comment);
    const row = extra?.row;
    const pageUrl = pageUrlOf(this.#siteOrigin(site, extra?.origin), comment.page ?? row?.page ?? '');
    // Links come from the configured public URL only: `extra.serverUrl` (a request's idea of it) is ignored.
    const serverUrl = this.deps.publicUrl;
    if (!serverUrl) return;
    if (event === 'comment.pending' && row) this.#notifyModerators(site, row, pageUrl, extra?.reason, serverUrl);
    if (row && extra?.notify && row.author_email) await this.#askToSubscribe(row, pageUrl, serverUrl);
    if ((event === 'comment.created' || event === 'comment.approved') && row?.parent_id) {
      await this.#notifyParentAuthor(row, pageUrl, serverUrl);
    }
  }

  /** Resolves when every mail started so far has been handed to the SMTP server (or failed). */
  async settled(): Promise<void> {
    while (this.#sending.size > 0) await Promise.allSettled([...this.#sending]);
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

  /**
   * The origin page links in mail use: the writer's Origin only when the site lists it explicitly
   * (with `"*"` anyone may claim any origin), else the site's first configured origin, else none.
   */
  #siteOrigin(siteId: string, requestOrigin: string | undefined): string | undefined {
    const origins = (this.deps.sites.find(siteId)?.origins ?? []).filter((origin) => origin !== '*');
    if (requestOrigin && origins.includes(requestOrigin)) return requestOrigin;
    return origins[0];
  }

  #background(what: string, work: () => Promise<unknown>): void {
    const running = work()
      .catch((error: unknown) => this.deps.logError(`${what} failed`, error))
      .finally(() => this.#sending.delete(running));
    this.#sending.add(running);
  }

  #notifyModerators(siteId: string, row: CommentRow, pageUrl: string, reason: string | undefined, serverUrl: string): void {
    const mailer = this.deps.moderatorMailer;
    const moderators = this.deps.sites.find(siteId)?.moderators ?? [];
    if (!mailer || moderators.length === 0) return;
    this.#background('Moderator mail', () =>
      mailer.notifyModerators(moderators, {
        site: siteId,
        event: 'comment.pending',
        authorName: row.author_name,
        authorEmail: row.author_email,
        pageUrl,
        body: row.body,
        ...(reason ? { reason } : {}),
        consoleUrl: `${serverUrl}/admin/comments/${row.id}`,
      }),
    );
  }

  async #askToSubscribe(row: CommentRow, pageUrl: string, serverUrl: string): Promise<void> {
    const mailer = this.deps.readerMailer;
    if (!mailer || !row.author_email) return;
    await insertReplySubscription(this.deps.store.db, { comment_id: row.id, site: row.site, email: row.author_email, created_at: this.deps.clock.now().toISOString(), confirmed_at: null, unsubscribed_at: null });
    const identity = await this.deps.identity();
    const token = identity.sign('reply-opt-in', { c: row.id }, this.deps.clock.now().getTime() + OPT_IN_VALID_MS);
    const to = row.author_email;
    this.#background('Reply opt-in mail', () =>
      mailer.send(replyOptInMail({ to, site: row.site, pageUrl, confirmUrl: `${serverUrl}/api/notifications/confirm?token=${encodeURIComponent(token)}` })),
    );
  }

  async #notifyParentAuthor(reply: CommentRow, pageUrl: string, serverUrl: string): Promise<void> {
    const mailer = this.deps.readerMailer;
    if (!mailer || !reply.parent_id) return;
    const subscription = await findReplySubscription(this.deps.store.db, reply.parent_id);
    if (!subscription || !subscription.confirmed_at || subscription.unsubscribed_at) return;
    const parent = await findCommentById(this.deps.store.db, reply.parent_id);
    // The parent's author erased it, or replies to oneself.
    if (!parent || parent.status !== 'visible' || !parent.author_email) return;
    if (reply.author_email && reply.author_email.trim().toLowerCase() === parent.author_email.trim().toLowerCase()) return;
    const identity = await this.deps.identity();
    const token = identity.sign('reply-unsubscribe', { c: parent.id }, this.deps.clock.now().getTime() + UNSUBSCRIBE_VALID_MS);
    const to = parent.author_email;
    this.#background('Reply notice mail', () =>
      mailer.send(
        replyNoticeMail({
          to,
          site: reply.site,
          pageUrl,
          replyAuthor: reply.author_name,
          replyBody: reply.body,
          unsubscribeUrl: `${serverUrl}/api/notifications/unsubscribe?token=${encodeURIComponent(token)}`,
        }),
      ),
    );
  }
}

/** An absolute page URL when the page id is a path and the writer's origin is known; else the page id. */
export function pageUrlOf(origin: string | undefined, page: string): string {
  if (origin && page.startsWith('/') && /^https?:\/\/[^/]+$/i.test(origin)) return `${origin}${page}`;
  return page;
}
