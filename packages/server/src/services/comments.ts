import { monotonicFactory } from 'ulidx';
import { pooledRandom } from '../lib/pooled-random.ts';
import {
  LIKES_PER_IP_PER_COMMENT,
  REPLIES_PER_BRANCH_MAX,
  type Comment,
  type CommentNode,
  type CommentPermalink,
  type CommentPermalinkQuery,
  type CommentsQuery,
  type CommentThread,
  type CommentWithSource,
  type CountsResponse,
  type DeleteCommentResult,
  type EditComment,
  type LikeComment,
  type LikeResult,
  type NewComment,
  type PostedComment,
  type PreviewRequest,
  type PreviewResponse,
  type RepliesQuery,
  type RepliesResponse,
  type StreamEventType,
} from '@parley/schema';
import type { Clock } from '../clock.ts';
import { AppError } from '../lib/errors.ts';
import { isDeferredCheckFailure, type DeferredChecks } from '../moderation/deferred-checks.ts';
import { CommentRejectedError, type CommentGate } from '../moderation/gate.ts';
import { findBlockedWord, tooManyLinks } from '../moderation/rules.ts';
import type { SiteRegistry } from '../sites/registry.ts';
import {
  addToLikes,
  countChildren,
  countCountedLikesFromIp,
  countVisibleComments,
  countVisibleOnPage,
  deleteCommentRow,
  deleteReplySubscription,
  deleteLike,
  findCommentById,
  findCommentsByIds,
  findLike,
  findTopLevelBefore,
  getOrCreateSetting,
  newCommentInsert,
  insertLike,
  listBranchEntries,
  listTopLevel,
  updateComment,
  type BranchEntry,
  type SortKey,
} from '../store/comments.repository.ts';
import type { CommentRow, Database } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { Kysely } from 'kysely';
import type { Writes } from '../store/later-writes.ts';
import type { KeepAnswer } from './idempotency.ts';
import { Identity, emailHash, newEditToken, newSecret, tokenMatches } from './comments-identity.ts';
import { decodeReplyCursor, decodeTopCursor, encodeReplyCursor, encodeTopCursor } from './comments-cursor.ts';
import { CachedBody, ThreadCache } from './comments-cache.ts';
import { renderMarkdown } from './markdown.ts';
import { InProcessNotifier, type Notifier } from './live/notifier.ts';
import { CommentLifecycle, type ChangeTx, type SideEffects } from './lifecycle/lifecycle.ts';

export interface CommentsOptions {
  /** PARLEY_SECRET; unset: a random one generated once and kept in the `settings` table. */
  secret?: string | undefined;
  /** How long after posting the author may edit or delete (PARLEY_EDIT_WINDOW_SECONDS). */
  editWindowSeconds?: number;
  /** Tells caches and streams of every instance; default: this process only. */
  notifier?: Notifier;
  /** Sites and their rules: the edit window of a site from a sites file, links and blocked words on edits. */
  sites?: SiteRegistry;
  /** Rate limits, bot traps, bans, duplicates, spam rules and the site's moderation mode for new comments. */
  gate?: CommentGate;
  /** Webhooks and mail, staged in each change's transaction (the outbox); sent by the job runner. */
  effects?: SideEffects;
  /** Told after a commit that queued outbox rows. */
  onOutbox?: () => void;
}

/** The comment a side effect is told about: the public view plus its site (deletions carry only id and status). */
export type HookComment = { id: string; site: string } & Partial<Omit<Comment, 'status'>> & { status: string };

/** Where a new comment comes from: the raw IP is only hashed (and given to a configured spam service). */
export interface PostRequest {
  ip: string;
  userAgent?: string | undefined;
  referrer?: string | undefined;
  /** The page's origin (Origin header), for absolute links to it. */
  origin?: string | undefined;
  /** This server's own origin, for links in mail. */
  serverUrl?: string | undefined;
  /** The author token the reader's browser presented (the `first-time` rule). */
  authorToken?: string | undefined;
  /**
   * Keeps the answer for an `Idempotency-Key` (services/idempotency.ts), called inside the
   * comment's own transaction: a crash after the commit cannot leave a stored comment whose key
   * a retry could claim again.
   */
  keepAnswer?: KeepAnswer | undefined;
}

/** An edit that a blocked word sent back to the moderation queue. */
export type HeldEdit = Omit<CommentWithSource, 'status'> & { status: 'pending'; message: string };

/** The status a reader is told: held comments (pending, or held as spam) are all "waiting for approval". */
export type PostOutcome = { comment: PostedComment; status: 201 | 202 };

// TextEncoder answers a block of exactly the body's size (Buffer.from would pool small ones: see ownBytes).
const utf8 = new TextEncoder();
const SHOWN = new Set(['visible', 'deleted']);

interface DtoOptions {
  gravatar: boolean;
}

function sortKeyOf(row: CommentRow): SortKey {
  return { pinned: Number(row.pinned) ? 1 : 0, likes: Number(row.likes), createdAt: row.created_at, id: row.id };
}

function byTime(a: { created_at: string; id: string }, b: { created_at: string; id: string }): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Descendant counts for every node of one or more branches (entries need not be ordered). */
function descendantCounts(entries: readonly BranchEntry[]): Map<string, number> {
  const children = new Map<string, string[]>();
  for (const entry of entries) {
    if (!entry.parent_id) continue;
    let list = children.get(entry.parent_id);
    if (!list) children.set(entry.parent_id, (list = []));
    list.push(entry.id);
  }
  const counts = new Map<string, number>();
  const count = (id: string): number => {
    const known = counts.get(id);
    if (known !== undefined) return known;
    // Iterative post-order: branches can be deep.
    const stack: Array<[string, boolean]> = [[id, false]];
    while (stack.length > 0) {
      const [node, expanded] = stack.pop()!;
      const kids = children.get(node) ?? [];
      if (expanded) {
        counts.set(node, kids.reduce((sum, kid) => sum + 1 + counts.get(kid)!, 0));
      } else {
        stack.push([node, true]);
        for (const kid of kids) if (!counts.has(kid)) stack.push([kid, false]);
      }
    }
    return counts.get(id)!;
  };
  for (const entry of entries) count(entry.id);
  for (const parent of children.keys()) count(parent);
  return counts;
}

export class CommentsService {
  // Monotonic so ids made in the same millisecond still sort in creation order.
  private readonly nextId = monotonicFactory(pooledRandom());
  private identityPromise: Promise<Identity> | undefined;
  private readonly editWindowMs: number;
  /** Where unexpected failures are reported. */
  logError: (message: string, error: unknown) => void;
  /** Every comment change goes through it: one transaction, then one publish. */
  readonly lifecycle: CommentLifecycle;
  /** Rendered thread pages (JSON text) by site/page/query; dropped on every change of the page, from any instance. */
  private readonly cache = new ThreadCache();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: CommentsOptions = {},
  ) {
    this.editWindowMs = (options.editWindowSeconds ?? 900) * 1000;
    this.logError = (message, error) => console.error(message, error);
    const notifier = options.notifier ?? new InProcessNotifier();
    this.lifecycle = new CommentLifecycle({ store, clock, notifier, effects: options.effects, ...(options.onOutbox ? { onOutbox: options.onOutbox } : {}) });
    // This process's cached pages follow every change, whichever instance made it.
    notifier.subscribeAll((change) => {
      if (change.kind === undefined || change.kind === 'comments') this.cache.invalidate(change.site, change.page);
    });
    notifier.onResync(() => this.cache.clear());
  }

  get notifier(): Notifier {
    return this.lifecycle.notifier;
  }

  /** The hashes keyed by the one server secret (PARLEY_SECRET, else the `settings` table's): IPs, readers, avatars. */
  identity(): Promise<Identity> {
    this.identityPromise ??= (async () => {
      const secret = this.options.secret || (await getOrCreateSetting(this.store.db, 'secret', newSecret));
      return new Identity(secret);
    })().catch((error: unknown) => {
      this.identityPromise = undefined;
      throw error;
    });
    return this.identityPromise;
  }

  // --- reads ------------------------------------------------------------------------------------

  /** A rendered `GET /api/comments` response for this exact query string, if the page is unchanged since. */
  cachedThread(rawQuery: string): CachedBody | undefined {
    return this.cache.getByRaw(rawQuery);
  }

  /** `GET /api/comments` as UTF-8 JSON, served from the cache while the page is unchanged. */
  async threadBody(query: CommentsQuery, rawQuery?: string): Promise<CachedBody> {
    const key = JSON.stringify([query.sort, query.cursor ?? '', query.limit, query.avatars ?? '']);
    const cached = this.cache.get(query.site, query.page, key);
    if (cached !== undefined) return cached;
    const generation = this.cache.generation(query.site, query.page);
    const body = new CachedBody(utf8.encode(JSON.stringify(await this.thread(query))));
    this.cache.set(query.site, query.page, key, body, generation, rawQuery);
    return body;
  }

  async thread(query: CommentsQuery): Promise<CommentThread> {
    const { site, page, sort, limit } = query;
    const after = query.cursor ? decodeTopCursor(query.cursor, sort) : null;
    const db = this.store.db;
    const [rows, total] = await Promise.all([
      listTopLevel(db, site, page, sort, after, limit + 1),
      countVisibleOnPage(db, site, page),
    ]);
    const pageRows = rows.slice(0, limit);
    const more = rows.length > limit;
    const comments = await this.branches(db, pageRows, { gravatar: query.avatars === 'gravatar' });
    const last = pageRows[pageRows.length - 1];
    return { site, page, sort, total, comments, nextCursor: more && last ? encodeTopCursor(sort, sortKeyOf(last)) : null };
  }

  /** Top-level rows with their first REPLIES_PER_BRANCH_MAX descendants (plus `extra` ids and their ancestors). */
  private async branches(db: Kysely<Database>, roots: readonly CommentRow[], dto: DtoOptions, extra?: string): Promise<CommentNode[]> {
    if (roots.length === 0) return [];
    const identity = await this.identity();
    const entries = await listBranchEntries(db, roots.map((r) => r.id));
    const counts = descendantCounts(entries);
    const parentOf = new Map(entries.map((e) => [e.id, e.parent_id]));
    const chosen = new Set<string>(roots.map((r) => r.id));
    const perRoot = new Map<string, number>();
    for (const entry of entries) {
      const root = entry.root_id!;
      const taken = perRoot.get(root) ?? 0;
      if (taken >= REPLIES_PER_BRANCH_MAX || !chosen.has(entry.parent_id!)) continue;
      chosen.add(entry.id);
      perRoot.set(root, taken + 1);
    }
    if (extra && parentOf.has(extra)) {
      for (let id: string | null | undefined = extra; id && !chosen.has(id); id = parentOf.get(id)) chosen.add(id);
    }
    const rootIds = new Set(roots.map((r) => r.id));
    const replyRows = await findCommentsByIds(db, [...chosen].filter((id) => !rootIds.has(id)));
    return this.nest([...roots, ...replyRows.sort(byTime)], counts, identity, dto, roots.map((r) => r.id));
  }

  /** Nests rows under their parents; `rootOrder` (or, without it, parentless rows in order) are the top level. */
  private nest(rows: readonly CommentRow[], counts: Map<string, number>, identity: Identity, dto: DtoOptions, rootOrder?: string[]): CommentNode[] {
    const nodes = new Map<string, CommentNode>();
    for (const row of rows) nodes.set(row.id, { ...this.toComment(row, identity, counts.get(row.id) ?? 0, dto), replies: [] });
    const tops: CommentNode[] = [];
    for (const row of rows) {
      const node = nodes.get(row.id)!;
      const parent = row.parent_id ? nodes.get(row.parent_id) : undefined;
      if (parent) parent.replies.push(node);
      else if (!rootOrder) tops.push(node);
    }
    return rootOrder ? rootOrder.map((id) => nodes.get(id)!) : tops;
  }

  /** The public view of a stored comment, as streams and webhooks carry it. */
  async publicView(row: CommentRow, db: Kysely<Database> = this.store.db): Promise<Comment> {
    const identity = await this.identity();
    const counts = descendantCounts(await listBranchEntries(db, [row.root_id ?? row.id]));
    return this.toComment(row, identity, counts.get(row.id) ?? 0, { gravatar: true });
  }

  /** The public view of a stored comment: never the email, the body or the moderation status. */
  private toComment(row: CommentRow, identity: Identity, replyCount: number, dto: DtoOptions): Comment {
    const deleted = row.status === 'deleted';
    const author: Comment['author'] = deleted
      ? { name: null, avatar: identity.avatar(null, null, row.id) }
      : { name: row.author_name, avatar: row.author_avatar ?? identity.avatar(row.author_email, row.author_name, row.id) };
    if (!deleted && dto.gravatar && row.author_email_hash) author.gravatar = row.author_email_hash;
    return {
      id: row.id,
      page: row.page,
      parentId: row.parent_id,
      author,
      html: deleted ? '' : row.html,
      status: deleted ? 'deleted' : 'visible',
      createdAt: row.created_at,
      editedAt: row.edited_at,
      likes: Number(row.likes),
      replyCount,
    };
  }

  /** A comment of `site` its author may edit or delete (shown, or pending), or 404. */
  private async ownComment(db: Kysely<Database>, site: string, id: string): Promise<CommentRow> {
    const row = await findCommentById(db, id);
    if (!row || row.site !== site || (!SHOWN.has(row.status) && row.status !== 'pending')) throw new AppError(404, 'not_found', `No comment ${id} on site "${site}"`);
    return row;
  }

  /** A shown comment of `site`, or 404. */
  private async shownComment(db: Kysely<Database>, site: string, id: string): Promise<CommentRow> {
    const row = await findCommentById(db, id);
    if (!row || row.site !== site || !SHOWN.has(row.status)) throw new AppError(404, 'not_found', `No comment ${id} on site "${site}"`);
    return row;
  }

  async replies(id: string, query: RepliesQuery): Promise<RepliesResponse> {
    const db = this.store.db;
    const row = await this.shownComment(db, query.site, id);
    const after = query.cursor ? decodeReplyCursor(query.cursor) : null;
    const identity = await this.identity();
    const entries = await listBranchEntries(db, [row.root_id ?? row.id]);
    const counts = descendantCounts(entries);
    // Descendants of `id` only, oldest first.
    const inside = new Set([id]);
    const descendants = entries.filter((e) => {
      if (e.parent_id && inside.has(e.parent_id)) {
        inside.add(e.id);
        return true;
      }
      return false;
    });
    const remaining = after ? descendants.filter((e) => byTime(e, { created_at: after.createdAt, id: after.id }) > 0) : descendants;
    const slice = remaining.slice(0, REPLIES_PER_BRANCH_MAX);
    const rows = (await findCommentsByIds(db, slice.map((e) => e.id))).sort(byTime);
    const last = slice[slice.length - 1];
    return {
      comments: this.nest(rows, counts, identity, { gravatar: query.avatars === 'gravatar' }),
      nextCursor: remaining.length > slice.length && last ? encodeReplyCursor({ createdAt: last.created_at, id: last.id }) : null,
    };
  }

  async permalink(id: string, query: CommentPermalinkQuery): Promise<CommentPermalink> {
    const db = this.store.db;
    const row = await this.shownComment(db, query.site, id);
    const root = row.root_id && row.root_id !== row.id ? await this.shownComment(db, query.site, row.root_id) : row;
    const [branch] = await this.branches(db, [root], { gravatar: query.avatars === 'gravatar' }, id);
    const before = await findTopLevelBefore(db, root.site, root.page, query.sort, sortKeyOf(root));
    return {
      comment: branch!,
      page: row.page,
      position: { cursor: before ? encodeTopCursor(query.sort, sortKeyOf(before)) : null },
    };
  }

  /** One grouped query for every asked page; pages without comments count 0. */
  async counts(site: string, pages: readonly string[]): Promise<CountsResponse> {
    const found = await countVisibleComments(this.store.db, site, pages);
    // fromEntries defines own properties, so a page named "__proto__" is just a key.
    return { counts: Object.fromEntries(pages.map((page) => [page, found.get(page) ?? 0])) };
  }

  preview(input: PreviewRequest): PreviewResponse {
    return { html: renderMarkdown(input.body) };
  }

  // --- writes -----------------------------------------------------------------------------------

  /**
   * A new comment: the thread must not be locked (403 `thread_locked`), the parent must be a
   * visible comment of the page, then the gate decides (429 rate limits, 403 `banned`, 422
   * `comment_rejected`, or publish / hold). Published → 201, visible at once; held → 202 with
   * `status: 'pending'`: stored as `pending` (or `spam` when a spam rule held it) and in no public
   * list, count or stream until a moderator approves it.
   */
  async post(input: NewComment, request: PostRequest | string): Promise<PostOutcome> {
    const req: PostRequest = typeof request === 'string' ? { ip: request } : request;
    try {
      return await this.#post(input, req, true);
    } catch (error) {
      // Over a limit, or a duplicate (PostgreSQL, checked in the write): nothing was stored; the
      // plain path counts the attempt and answers as it always does.
      if (!isDeferredCheckFailure(error)) throw error;
      return this.#post(input, req, false);
    }
  }

  async #post(input: NewComment, req: PostRequest, defer: boolean): Promise<PostOutcome> {
    const identity = await this.identity();
    const name = input.author?.name?.trim() || null;
    const email = input.author?.email?.trim() || null;
    const ipHash = identity.ipHash(req.ip);
    const authorEmailHash = emailHash(email);
    // Before the gate, so a reply to a missing comment does not count against the reader's limits.
    if (input.parentId !== undefined) await this.replyableParent(this.store.db, input);
    let status: 'visible' | 'pending' | 'spam' = 'visible';
    let reason: string | undefined;
    let remember: ((writes: Writes) => void) | undefined;
    let deferred: DeferredChecks | undefined;
    if (this.options.gate) {
      let result;
      try {
        result = await this.options.gate.check(
          { site: input.site, page: input.page, body: input.body, authorName: name, authorEmail: email, parentId: input.parentId ?? null, honeypot: input.honeypot ?? null, ...(input.fillMs !== undefined ? { fillMs: input.fillMs } : {}) },
          {
            ip: req.ip,
            ipHash,
            emailHash: authorEmailHash,
            ...(req.userAgent ? { userAgent: req.userAgent } : {}),
            ...(req.referrer ? { referrer: req.referrer } : {}),
            ...(req.origin && input.page.startsWith('/') ? { permalink: `${req.origin}${input.page}` } : {}),
            ...(req.authorToken ? { authorToken: req.authorToken } : {}),
          },
          { defer },
        );
      } catch (error) {
        if (error instanceof CommentRejectedError && error.result.reasonCode === 'banned') throw new AppError(403, 'banned', error.result.reason);
        throw error;
      }
      remember = result.remember;
      deferred = result.deferred;
      if (result.decision === 'hold') {
        status = result.reasonCode === 'spam' ? 'spam' : 'pending';
        reason = result.reason;
      }
    }
    const now = this.clock.now();
    const createdAt = now.toISOString();
    const id = this.nextId(now.getTime());
    const edit = newEditToken();
    const html = renderMarkdown(input.body);
    try {
      return await this.lifecycle.change(input.site, input.page, async (tx) => {
        // Checked under the page lock only (read with the lock, in the same round trip on PostgreSQL):
        // a post to a closed thread has passed the gate by then, so it counts against the poster's
        // rate limits like any other attempt, and then answers 403.
        if (await tx.threadLocked()) throw new AppError(403, 'thread_locked', 'This discussion is closed to new comments');
        const parent = input.parentId !== undefined ? await this.replyableParent(tx.trx, input) : undefined;
        // Written with the change's other later writes (one statement on PostgreSQL): nothing here reads it back.
        const { row: inserted, insert } = newCommentInsert(tx.trx, {
          id,
          site: input.site,
          page: input.page,
          parent_id: parent?.id ?? null,
          root_id: parent ? (parent.root_id ?? parent.id) : id,
          author_name: name,
          author_email: email,
          body: input.body,
          html,
          status,
          created_at: createdAt,
          updated_at: createdAt,
          edit_token_hash: edit.hash,
          ip_hash: ipHash,
          author_avatar: identity.avatar(email, name, id),
          author_email_hash: authorEmailHash,
        });
        tx.later(insert);
        remember?.(tx);
        deferred?.attach(tx);
        // Held comments reach no stream until approved; spam-held ones tell nobody.
        if (status === 'visible') await tx.event(inserted, 'comment.created', this.toComment(inserted, identity, 0, { gravatar: true }));
        const view = this.toComment(inserted, identity, 0, { gravatar: false });
        if (status !== 'spam') {
          await tx.effect(inserted.site, status === 'visible' ? 'comment.created' : 'comment.pending', { ...view, site: inserted.site }, { row: inserted, reason, notify: input.notify, origin: req.origin, serverUrl: req.serverUrl });
        }
        const posted: PostedComment = {
          ...view,
          status: status === 'visible' ? 'visible' : 'pending',
          ...(status === 'visible' ? {} : { message: reason ?? 'Your comment is waiting for approval.' }),
          body: inserted.body,
          editToken: edit.token,
          editableUntil: new Date(Date.parse(inserted.created_at) + this.editWindowFor(inserted.site)).toISOString(),
          // The reader's proof for the `first-time` rule next time: bound to this comment, trusted once it is approved.
          ...(authorEmailHash ? { authorToken: identity.authorToken(authorEmailHash, inserted.id) } : {}),
        };
        const outcome: PostOutcome = { comment: posted, status: status === 'visible' ? 201 : 202 };
        req.keepAnswer?.(tx, outcome.status, posted);
        return outcome;
      });
    } catch (error) {
      // Refused after the gate (a closed thread, a parent gone): the attempt counts all the same.
      if (deferred && !isDeferredCheckFailure(error)) await deferred.count().catch(() => {});
      throw error;
    }
  }

  /** A site's edit window: the sites file's `editWindowSeconds`, else PARLEY_EDIT_WINDOW_SECONDS (default 900 s). */
  editWindowFor(site: string): number {
    const sites = this.options.sites;
    if (sites?.strict) return sites.get(site).editWindowSeconds * 1000;
    return this.editWindowMs;
  }

  /**
   * The author edits within the window. The new text passes the same gate as a new comment (bans,
   * links, blocked words, the spam service and the site's mode — on a `moderation: "all"` site an
   * edit waits for approval again): a rejection is 422 `comment_rejected`; a hold sends the comment
   * back to `pending` (it leaves public lists and streams until a moderator approves it) and the
   * answer says `status: 'pending'`.
   */
  async edit(id: string, input: EditComment, token: string | undefined, request: PostRequest = { ip: 'unknown' }): Promise<CommentWithSource | HeldEdit> {
    const identity = await this.identity();
    // Token and window first: nobody else's edit reaches the gate (or its spam service).
    const found = await this.editable(this.store.db, input.site, id, token);
    const held = await this.editHold(found, input, request, identity);
    const now = this.clock.now().toISOString();
    const html = renderMarkdown(input.body);
    const { row, replyCount } = await this.lifecycle.change(found.site, found.page, async (tx) => {
      const current = await this.editable(tx.trx, input.site, id, token);
      const status = held ? held.status : current.status;
      const updated = await updateComment(tx.trx, current.id, { body: input.body, html, edited_at: now, updated_at: now, status });
      const counts = descendantCounts(await listBranchEntries(tx.trx, [updated.root_id ?? updated.id]));
      const count = counts.get(updated.id) ?? 0;
      // A comment still waiting for approval changes quietly: readers never saw it.
      if (current.status !== 'visible') return { row: updated, replyCount: count };
      if (held) {
        await tx.event(updated, 'comment.deleted', { id: updated.id, status: 'removed' });
        if (held.status === 'pending') {
          const view = this.toComment(updated, identity, count, { gravatar: false });
          await tx.effect(updated.site, 'comment.pending', { ...view, site: updated.site }, { row: updated, reason: held.reason, serverUrl: request.serverUrl, origin: request.origin });
        }
        return { row: updated, replyCount: count };
      }
      await tx.event(updated, 'comment.updated', this.toComment(updated, identity, count, { gravatar: true }));
      return { row: updated, replyCount: count };
    });
    const view = this.toComment(row, identity, replyCount, { gravatar: false });
    if (row.status !== 'visible') return { ...view, status: 'pending', message: held?.message ?? 'Your comment is waiting for approval.', body: row.body };
    return { ...view, body: row.body };
  }

  /** What the gate says of an edit's new text: undefined to publish, else the status it waits in. */
  private async editHold(found: CommentRow, input: EditComment, request: PostRequest, identity: Identity): Promise<{ status: 'pending' | 'spam'; reason: string; message: string } | undefined> {
    const gate = this.options.gate;
    if (!gate) {
      const site = this.options.sites?.find(input.site);
      if (site && tooManyLinks(input.body, site.maxLinks)) {
        const reason = `Comments may contain at most ${site.maxLinks} link${site.maxLinks === 1 ? '' : 's'}.`;
        throw new CommentRejectedError({ decision: 'reject', reasonCode: 'too_many_links', reason });
      }
      const blocked = site !== undefined && findBlockedWord([input.body, found.author_name ?? ''].join('\n'), site.blockedWords) !== undefined;
      return blocked ? { status: 'pending', reason: 'blocked_word', message: 'Your comment is waiting for approval.' } : undefined;
    }
    let result;
    try {
      result = await gate.checkEdit(
        { site: found.site, page: found.page, body: input.body, authorName: found.author_name, authorEmail: found.author_email, parentId: found.parent_id },
        {
          ip: request.ip,
          ipHash: identity.ipHash(request.ip),
          emailHash: found.author_email_hash,
          ...(request.userAgent ? { userAgent: request.userAgent } : {}),
          ...(request.referrer ? { referrer: request.referrer } : {}),
        },
        { published: found.status === 'visible' },
      );
    } catch (error) {
      if (error instanceof CommentRejectedError && error.result.reasonCode === 'banned') throw new AppError(403, 'banned', error.result.reason);
      throw error;
    }
    if (result.decision !== 'hold') return undefined;
    return { status: result.reasonCode === 'spam' ? 'spam' : 'pending', reason: result.reasonCode, message: result.reason };
  }

  /**
   * With replies the comment becomes a placeholder (text, name and email erased); without, the row
   * goes, and so does every placeholder ancestor left without replies.
   */
  async remove(id: string, site: string, token: string | undefined): Promise<DeleteCommentResult> {
    const found = await this.ownComment(this.store.db, site, id);
    return this.lifecycle.change(found.site, found.page, async (tx) => {
      const current = await this.editable(tx.trx, site, id, token);
      return this.erase(tx, current);
    });
  }

  /**
   * Erases a comment inside a lifecycle change (the page locked): with replies it becomes a
   * placeholder (text, name and email erased); without, the row goes, and so does every placeholder
   * ancestor left without replies. Streams hear of what readers saw; webhooks of the deletion.
   */
  async erase(tx: ChangeTx, current: CommentRow): Promise<DeleteCommentResult> {
    const trx = tx.trx;
    const now = this.clock.now().toISOString();
    // Readers only ever saw visible comments (and placeholders): a held one leaves without a trace in streams.
    const wasShown = SHOWN.has(current.status);
    let result: DeleteCommentResult;
    if ((await countChildren(trx, current.id)) > 0) {
      await updateComment(trx, current.id, {
        status: 'deleted',
        body: '',
        html: '',
        author_name: null,
        author_email: null,
        author_email_hash: null,
        author_avatar: null,
        edit_token_hash: null,
        pinned: 0,
        deleted_at: now,
        updated_at: now,
      });
      await deleteReplySubscription(trx, current.id);
      await tx.event(current, 'comment.deleted', { id: current.id, status: 'deleted' });
      result = { id: current.id, status: 'deleted' };
    } else {
      let row: CommentRow | undefined = current;
      while (row) {
        await deleteReplySubscription(trx, row.id);
        await deleteCommentRow(trx, row.id);
        if (row !== current || wasShown) await tx.event(row, 'comment.deleted', { id: row.id, status: 'removed' });
        const parent: CommentRow | undefined = row.parent_id ? await findCommentById(trx, row.parent_id) : undefined;
        row = parent && parent.status === 'deleted' && (await countChildren(trx, parent.id)) === 0 ? parent : undefined;
      }
      result = { id: current.id, status: 'removed' };
    }
    await tx.effect(current.site, 'comment.deleted', { id: current.id, site: current.site, page: current.page, status: result.status });
    return result;
  }

  /**
   * One like per reader per comment. Likes from one client-IP hash beyond LIKES_PER_IP_PER_COMMENT
   * are stored (so the reader sees "liked" and can take it back) but not counted.
   */
  async like(id: string, input: LikeComment, clientIp: string): Promise<LikeResult> {
    const identity = await this.identity();
    const found = await this.shownComment(this.store.db, input.site, id);
    if (found.status !== 'visible') throw new AppError(404, 'not_found', `No comment ${id} on site "${input.site}"`);
    const readerHash = identity.readerHash(input.readerId);
    const ipHash = identity.ipHash(clientIp);
    const now = this.clock.now().toISOString();
    const likes = await this.lifecycle.change(found.site, found.page, async (tx) => {
      const trx = tx.trx;
      const current = await findCommentById(trx, id);
      if (!current || current.status !== 'visible') throw new AppError(404, 'not_found', `No comment ${id} on site "${input.site}"`);
      const existing = await findLike(trx, id, readerHash);
      if (input.liked && !existing) {
        const counted = (await countCountedLikesFromIp(trx, id, ipHash)) < LIKES_PER_IP_PER_COMMENT ? 1 : 0;
        const inserted = await insertLike(trx, { comment_id: id, reader_hash: readerHash, ip_hash: ipHash, counted, created_at: now });
        if (inserted && counted) return addToLikes(trx, id, 1);
      } else if (!input.liked && existing) {
        await deleteLike(trx, id, readerHash);
        if (existing.counted) return addToLikes(trx, id, -1);
      }
      return Number(current.likes);
    });
    return { id, likes, liked: input.liked };
  }

  // --- helpers ----------------------------------------------------------------------------------

  /** The comment, if this token may still change it: 404, then 403 forbidden, then 403 edit_window_closed. */
  private async editable(db: Kysely<Database>, site: string, id: string, token: string | undefined): Promise<CommentRow> {
    const row = await findCommentById(db, id);
    // Visible, or still waiting for approval: its author may change or withdraw it meanwhile.
    if (!row || row.site !== site || (row.status !== 'visible' && row.status !== 'pending')) throw new AppError(404, 'not_found', `No comment ${id} on site "${site}"`);
    if (!tokenMatches(token, row.edit_token_hash)) throw new AppError(403, 'forbidden', 'This edit token does not match the comment');
    const windowMs = this.editWindowFor(row.site);
    if (this.clock.now().getTime() >= Date.parse(row.created_at) + windowMs) {
      const minutes = Math.round(windowMs / 60_000);
      throw new AppError(403, 'edit_window_closed', `Comments can be edited for ${minutes} minutes after posting`);
    }
    return row;
  }

  /** A reply must answer a visible comment on the same site and page. */
  private async replyableParent(db: Kysely<Database>, input: NewComment): Promise<CommentRow> {
    const parent = await findCommentById(db, input.parentId!);
    if (!parent || parent.site !== input.site || parent.page !== input.page || parent.status !== 'visible') {
      throw new AppError(400, 'parent_not_found', `parentId: no comment ${input.parentId} on this page to reply to`, [
        { path: 'parentId', message: 'no such comment on this page' },
      ]);
    }
    return parent;
  }

  /** Drops this process's cached pages of `site/page` (changes are published through the lifecycle). */
  invalidate(site: string, page: string): void {
    this.cache.invalidate(site, page);
  }
}
