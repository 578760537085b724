import { monotonicFactory } from 'ulidx';
import type { Comment, CommentNode, CommentThread, CountsResponse, NewComment } from '@parley/schema';
import type { Clock } from '../clock.ts';
import { AppError } from '../lib/errors.ts';
import {
  countVisibleComments,
  findCommentById,
  insertComment,
  listVisibleComments,
} from '../store/comments.repository.ts';
import type { CommentRow } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

/** The public view of a stored comment: never the email, never the moderation status. */
export function toComment(row: CommentRow): Comment {
  return {
    id: row.id,
    page: row.page,
    parentId: row.parent_id,
    author: { name: row.author_name },
    body: row.body,
    createdAt: row.created_at,
  };
}

/**
 * Builds the reply tree from rows sorted oldest first, so every level stays oldest first.
 * A reply whose parent is not among the rows (later: hidden by moderation) is shown at the
 * top level rather than dropped.
 */
export function buildThread(rows: readonly CommentRow[]): CommentNode[] {
  const nodes = new Map<string, CommentNode>();
  for (const row of rows) nodes.set(row.id, { ...toComment(row), replies: [] });
  const roots: CommentNode[] = [];
  for (const row of rows) {
    const node = nodes.get(row.id)!;
    const parent = row.parent_id ? nodes.get(row.parent_id) : undefined;
    if (parent) parent.replies.push(node);
    else roots.push(node);
  }
  return roots;
}

export class CommentsService {
  // Monotonic so ids made in the same millisecond still sort in creation order.
  private readonly nextId = monotonicFactory();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async thread(site: string, page: string): Promise<CommentThread> {
    const rows = await listVisibleComments(this.store.db, site, page);
    return { site, page, total: rows.length, comments: buildThread(rows) };
  }

  async post(input: NewComment): Promise<Comment> {
    if (input.parentId !== undefined) await this.assertReplyable(input);
    const now = this.clock.now();
    const createdAt = now.toISOString();
    const name = input.author?.name?.trim();
    const email = input.author?.email?.trim();
    const row = await insertComment(this.store.db, {
      id: this.nextId(now.getTime()),
      site: input.site,
      page: input.page,
      parent_id: input.parentId ?? null,
      author_name: name ? name : null,
      author_email: email ? email : null,
      body: input.body,
      status: 'visible',
      created_at: createdAt,
      updated_at: createdAt,
    });
    return toComment(row);
  }

  /** One grouped query for every asked page; pages without comments count 0. */
  async counts(site: string, pages: readonly string[]): Promise<CountsResponse> {
    const found = await countVisibleComments(this.store.db, site, pages);
    // fromEntries defines own properties, so a page named "__proto__" is just a key.
    return { counts: Object.fromEntries(pages.map((page) => [page, found.get(page) ?? 0])) };
  }

  /** A reply must answer a visible comment on the same site and page. */
  private async assertReplyable(input: NewComment): Promise<void> {
    const parent = await findCommentById(this.store.db, input.parentId!);
    if (!parent || parent.site !== input.site || parent.page !== input.page || parent.status !== 'visible') {
      throw new AppError(400, 'parent_not_found', `parentId: no comment ${input.parentId} on this page to reply to`, [
        { path: 'parentId', message: 'no such comment on this page' },
      ]);
    }
  }
}
