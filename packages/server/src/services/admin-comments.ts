import { MODERATION_TRANSITIONS, canModerate } from '@parley/schema';
import type {
  AdminComment,
  AdminCommentAction,
  AdminCommentsQuery,
  AdminCommentsResponse,
  AdminBulk,
  AdminBulkItem,
  AdminBulkResult,
  AdminDeleteResult,
  AdminSitesResponse,
  AdminStats,
  AdminThread,
  AdminThreadLock,
  Ban,
} from '@parley/schema';
import type { Clock } from '../clock.ts';
import { AppError } from '../lib/errors.ts';
import type { SiteRegistry } from '../sites/registry.ts';
import {
  articleTitles,
  countByStatus,
  countFlagged,
  countFlagsOf,
  countPerDay,
  findCommentById,
  listAdminComments,
  listThreadLocks,
  mostCommentedPages,
  setThreadLock,
  updateComment,
} from '../store/comments.repository.ts';
import { clearFlags } from '../store/flags.repository.ts';
import type { CommentRow, NewCommentRow } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { CommentsService } from './comments.ts';
import { renderMarkdown } from './markdown.ts';
import type { ModerationService } from './moderation.ts';
import { pageKey } from './live/notifier.ts';
import { pageKeyOf } from './page-key.ts';

const SHOWN = new Set(['visible', 'deleted']);
/** The statuses each action accepts, and where it leads: the one table, shared with the console. */
const TRANSITIONS = MODERATION_TRANSITIONS;

function badRequest(message: string): AppError {
  return new AppError(400, 'validation_failed', message);
}

/**
 * The moderation console's comment operations. Every change that readers can see goes through the
 * comments service's stream events (published after commit) and the after-commit hooks (webhooks,
 * reply notices), so the console and the public widgets never disagree.
 */
export class AdminCommentsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly sites: SiteRegistry,
    private readonly comments: CommentsService,
    private readonly moderation: ModerationService,
  ) {}

  /** `GET /api/admin/sites`: the configured sites (with no sites file, the default site). */
  listSites(): AdminSitesResponse {
    return { sites: this.sites.list().map((site) => ({ id: site.id, moderation: site.moderation })) };
  }

  async list(query: AdminCommentsQuery): Promise<AdminCommentsResponse> {
    const site = this.sites.get(query.site);
    const beforeId = query.cursor ? decodeAdminCursor(query.cursor) : undefined;
    const rows = await listAdminComments(this.store.db, {
      site: site.id,
      queue: query.status,
      flagThreshold: site.flagsToQueue,
      q: query.q,
      author: query.author,
      page: query.page,
      beforeId,
      limit: query.limit + 1,
    });
    const pageRows = rows.slice(0, query.limit);
    const flags = await countFlagsOf(this.store.db, pageRows.map((row) => row.id));
    const last = pageRows[pageRows.length - 1];
    return {
      comments: pageRows.map((row) => toAdminComment(row, flags.get(row.id) ?? 0)),
      nextCursor: rows.length > query.limit && last ? Buffer.from(last.id).toString('base64url') : null,
    };
  }

  async get(id: string): Promise<AdminComment> {
    const row = await this.row(id);
    const flags = await countFlagsOf(this.store.db, [row.id]);
    return toAdminComment(row, flags.get(row.id) ?? 0);
  }

  /** approve, reject, spam, restore, pin, unpin. */
  async act(id: string, action: AdminCommentAction, context: { serverUrl?: string } = {}): Promise<AdminComment> {
    if (action === 'pin' || action === 'unpin') return this.pin(id, action === 'pin');
    const rule = TRANSITIONS[action];
    const found = await this.row(id);
    await this.comments.lifecycle.change(found.site, found.page, async (tx) => {
      const current = await findCommentById(tx.trx, id);
      if (!current) throw new AppError(404, 'not_found', `No comment ${id}`);
      if (!canModerate(action, current.status)) {
        throw badRequest(`Cannot ${action} a comment that is ${current.status}${current.status === 'deleted' ? ' (its text was erased)' : ''}`);
      }
      // A kept comment leaves the flagged queue.
      if (action === 'approve' || action === 'restore') await clearFlags(tx.trx, id);
      if (current.status === rule.to) return;
      const changes: Partial<NewCommentRow> = { status: rule.to, updated_at: this.clock.now().toISOString() };
      // A moderator's removal ends the author's edit token: what a moderator took down stays down.
      if (rule.to !== 'visible') Object.assign(changes, { pinned: 0, edit_token_hash: null });
      const updated = await updateComment(tx.trx, id, changes);
      if (rule.to === 'visible') {
        const view = await this.comments.publicView(updated, tx.trx);
        await tx.event(updated, 'comment.created', view);
        await tx.effect(updated.site, 'comment.approved', { ...view, site: updated.site }, { row: updated, serverUrl: context.serverUrl });
      } else if (SHOWN.has(current.status)) {
        // It disappears for readers.
        await tx.event(updated, 'comment.deleted', { id: updated.id, status: 'removed' });
        await tx.effect(updated.site, 'comment.deleted', { id: updated.id, site: updated.site, page: updated.page, status: 'removed' });
      }
    });
    return this.get(id);
  }

  private async pin(id: string, pinned: boolean): Promise<AdminComment> {
    const found = await this.row(id);
    if (pinned && (found.status !== 'visible' || found.parent_id !== null)) {
      throw badRequest('Only a visible top-level comment can be pinned');
    }
    await this.comments.lifecycle.change(found.site, found.page, async (tx) => {
      await updateComment(tx.trx, id, { pinned: pinned ? 1 : 0, updated_at: this.clock.now().toISOString() });
    });
    return this.get(id);
  }

  /** `PATCH`: new markdown, rendered again; readers of a visible comment see the change live. The author's edit token ends. */
  async edit(id: string, body: string): Promise<AdminComment> {
    const found = await this.row(id);
    if (found.status === 'deleted') throw badRequest('Cannot edit a deleted comment (its text was erased)');
    const html = renderMarkdown(body);
    await this.comments.lifecycle.change(found.site, found.page, async (tx) => {
      const now = this.clock.now().toISOString();
      const updated = await updateComment(tx.trx, id, { body, html, edited_at: now, updated_at: now, edit_token_hash: null });
      if (updated.status === 'visible') await tx.event(updated, 'comment.updated', await this.comments.publicView(updated, tx.trx));
    });
    return this.get(id);
  }

  /** `DELETE`: erased for good, as its author could (a placeholder if it has replies). */
  async remove(id: string): Promise<AdminDeleteResult> {
    const found = await this.row(id);
    return this.comments.lifecycle.change(found.site, found.page, async (tx) => {
      const current = await findCommentById(tx.trx, id);
      if (!current) throw new AppError(404, 'not_found', `No comment ${id}`);
      return this.comments.erase(tx, current);
    });
  }

  /**
   * `POST /api/admin/comments/bulk`: the single-comment action (or delete) on each id in turn, so each
   * one publishes its SSE event and runs its webhooks exactly as alone. Each comment has its own
   * transaction: one failing (unknown, another site's, a transition it does not allow) is reported
   * in its item and the rest go on. Unexpected errors still fail the request.
   */
  async bulk(input: AdminBulk, context: { serverUrl?: string } = {}): Promise<AdminBulkResult> {
    const site = this.sites.get(input.site);
    const results: AdminBulkItem[] = [];
    for (const id of new Set(input.ids)) {
      try {
        const found = await findCommentById(this.store.db, id);
        // Another site's comment is as unknown as a missing one here.
        if (!found || found.site !== site.id) throw new AppError(404, 'not_found', `No comment ${id} on site ${site.id}`);
        if (input.action === 'delete') {
          const result = await this.remove(id);
          results.push({ id, ok: true, status: result.status });
        } else {
          const comment = await this.act(id, input.action, context);
          results.push({ id, ok: true, status: comment.status });
        }
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results.push({ id, ok: false, error: { code: error.code, message: error.message } });
      }
    }
    return { results };
  }

  /** Bans the comment's author by the hash the comment carries (email hash or IP hash). */
  async ban(id: string, input: { by: 'email' | 'ip'; durationHours?: number | undefined; reason?: string | undefined }): Promise<Ban> {
    const row = await this.row(id);
    const valueHash = input.by === 'ip' ? row.ip_hash : row.author_email_hash;
    if (!valueHash) throw badRequest(input.by === 'ip' ? 'This comment has no IP hash to ban' : 'This comment has no email to ban');
    return this.moderation.ban({
      site: row.site,
      kind: input.by,
      valueHash,
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.durationHours ? { durationSeconds: input.durationHours * 3600 } : {}),
    });
  }

  async lockThread(input: AdminThreadLock): Promise<AdminThread> {
    const site = this.sites.get(input.site);
    const lockedAt = await setThreadLock(this.store.db, site.id, input.page, input.locked, this.clock.now().toISOString());
    // This instance's next post there reads the lock (other instances' guards catch the change).
    this.comments.lifecycle.pageStates.forget(pageKey(site.id, input.page));
    return { site: site.id, page: input.page, locked: lockedAt !== null, lockedAt };
  }

  async lockedThreads(siteId: string): Promise<AdminThread[]> {
    const site = this.sites.get(siteId);
    return (await listThreadLocks(this.store.db, site.id)).map((row) => ({ site: row.site, page: row.page, locked: true, lockedAt: row.locked_at }));
  }

  async stats(siteId: string, days: number): Promise<AdminStats> {
    const site = this.sites.get(siteId);
    const now = this.clock.now();
    const firstDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
    const since = firstDay.toISOString();
    const [byStatus, flagged, perDay, discussed] = await Promise.all([
      countByStatus(this.store.db, site.id),
      countFlagged(this.store.db, site.id, site.flagsToQueue),
      countPerDay(this.store.db, site.id, since),
      mostCommentedPages(this.store.db, site.id, since, 10),
    ]);
    const titles = await articleTitles(this.store.db, site.id, discussed.map((entry) => pageKeyOf(entry.page)));
    const series: AdminStats['perDay'] = [];
    for (let i = 0; i < days; i++) {
      const day = new Date(firstDay.getTime() + i * 86_400_000).toISOString().slice(0, 10);
      series.push({ day, count: perDay.get(day) ?? 0 });
    }
    return {
      totals: { visible: byStatus.get('visible') ?? 0, pending: byStatus.get('pending') ?? 0, spam: byStatus.get('spam') ?? 0, flagged },
      perDay: series,
      mostDiscussed: discussed.map((entry) => ({ page: entry.page, title: titles.get(pageKeyOf(entry.page)) ?? null, count: entry.count })),
    };
  }

  private async row(id: string): Promise<CommentRow> {
    const row = await findCommentById(this.store.db, id);
    if (!row) throw new AppError(404, 'not_found', `No comment ${id}`);
    // Only sites this server moderates (a sites file limits them).
    this.sites.get(row.site);
    return row;
  }
}

function decodeAdminCursor(cursor: string): string {
  const id = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) {
    throw new AppError(400, 'validation_failed', 'Invalid request: cursor: not a cursor from this API', [{ path: 'cursor', message: 'not a cursor from this API' }]);
  }
  return id;
}

export function toAdminComment(row: CommentRow, flags: number): AdminComment {
  return {
    id: row.id,
    site: row.site,
    page: row.page,
    parentId: row.parent_id,
    status: row.status,
    author: { name: row.author_name, email: row.author_email },
    body: row.body,
    html: row.html,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    likes: Number(row.likes),
    flags,
    pinned: Number(row.pinned) === 1,
    ipHash: row.ip_hash ? row.ip_hash.slice(0, 12) : null,
  };
}
