import { adoptStyles, supportsAdoptingStyleSheets, type LitElement } from 'lit';
import type { CommentNode, DeleteCommentResult } from '@parley/schema';
import { request, type ApiError } from '../../controllers/api-client.ts';
import { readerId } from '../../controllers/author-storage.ts';
import { clock } from '../../controllers/clock.ts';
import type { StreamListener } from '../../controllers/live-stream.ts';
import { load, save } from '../../controllers/storage.ts';
import { pageIdentity } from '../../controllers/page-identity.ts';
import { serverOrigin } from '../../controllers/server-origin.ts';
import { localize, type Translation } from '../../i18n/localize.ts';
import type { Own, SharedState, WriterContext, WriterCore } from './context.ts';
import { avatarsOf, heldOf, ownOf, siteOf, storeKeyOf } from './keys.ts';
import { ROOT } from './form-state.ts';
import { graft, merge } from './thread-merge.ts';
import { descendants, locate, place } from './thread-tree.ts';
import { writerStyles } from './writer.styles.ts';

/** The message for a failed like, edit or delete. */
export function failure(t: Translation, error: unknown): string {
  const code = (error as ApiError).code;
  return code === 'forbidden' ? t.forbidden : code === 'edit_window_closed' ? t.editWindowClosed : (error as Error).message;
}

/**
 * What a reader does with a shown thread besides writing — like, show more comments, show more
 * replies, follow a permalink to a comment not loaded yet — and how the thread changes after a
 * post, a deletion or a live event: in the writing tools' chunk. The first load only draws the
 * buttons and the thread as it came; the first click (or live event) loads what they do.
 */
export class ReaderActions {
  readonly ctx: WriterContext;

  constructor(core: WriterCore) {
    const { element } = core;
    const state = element as unknown as SharedState;
    this.ctx = {
      ...core,
      siteId: () => siteOf(element),
      page: () => pageIdentity(element.page),
      avatars: () => avatarsOf(element),
      call: (route, ...args) => request(serverOrigin(element.server), route, ...args),
      storeKey: () => storeKeyOf(element),
      own: () => ownOf(element),
      held: () => heldOf(element),
      pending: () => state.pending,
      setPending: (list) => (state.pending = list),
      setNote: (id, note) => {
        const { [id]: _, ...notes } = state.notes;
        state.notes = note ? { ...notes, [id]: note } : notes;
      },
      announce: async (message) => {
        // Clearing first makes screen readers repeat a message that is the same as the last one.
        state.announcement = '';
        await element.updateComplete;
        state.announcement = message;
      },
      focusOn: async (selector) => {
        await element.updateComplete;
        element.renderRoot.querySelector<HTMLElement>(selector)?.focus();
      },
    };
  }

  /** Keeps (or, without `value`, forgets) a comment this browser may edit; expired ones are dropped. */
  setOwn(id: string, value?: Own): void {
    const own = this.ctx.own();
    const now = clock.now();
    for (const key in own) if (Date.parse(own[key]!.editableUntil) < now) delete own[key];
    if (value) own[id] = value;
    else delete own[id];
    save(`own:${this.ctx.storeKey()}`, own);
  }

  /** Keeps (or, without `node`, forgets) one of the reader's comments that waits for approval. */
  setHeld(id: string, node?: CommentNode): void {
    const held = this.ctx.held();
    if (node) held[id] = { ...node, replies: [] };
    else delete held[id];
    save(`held:${this.ctx.storeKey()}`, held);
  }

  /** Adds a comment to the loaded thread (or loads the thread if there is none); one `held` for approval is not counted. */
  insert(node: CommentNode, held = false): void {
    const { ctx } = this;
    const thread = ctx.thread();
    if (!thread) {
      void ctx.element.reload();
      return;
    }
    if (place(thread, node, ctx.element.sort) && !held) thread.total++;
    ctx.element.requestUpdate();
  }

  /** Shows a comment this element posted (and remembers that its live echo is no news). */
  showPosted(node: CommentNode, held: boolean): void {
    const { ctx } = this;
    ctx.posted.add(node.id);
    ctx.setPending(ctx.pending().filter((pending) => pending.id !== node.id));
    this.insert(node, held);
  }

  /** Applies a deletion: a placeholder stays (`deleted`) or the comment goes (`removed`). */
  applyDelete(id: string, status: DeleteCommentResult['status']): void {
    const { ctx } = this;
    ctx.setPending(ctx.pending().filter((pending) => pending.id !== id));
    const thread = ctx.thread();
    const path = thread && locate(thread.comments, id);
    if (!path) return;
    const node = path.pop()!;
    if (node.status === 'visible' && !(id in ctx.held())) thread.total--;
    if (status === 'deleted') {
      Object.assign(node, { status, html: '', author: { ...node.author, name: null } });
    } else {
      const list = path.length ? path[path.length - 1]!.replies : thread.comments;
      list.splice(list.indexOf(node), 1);
      for (const ancestor of path) ancestor.replyCount--;
    }
    ctx.element.requestUpdate();
  }

  /** One event of the live stream: an edit or deletion applies at once, another reader's new comment waits behind the banner. */
  readonly live: StreamListener = (type, data) => {
    const { ctx } = this;
    const thread = ctx.thread();
    if (!thread) return;
    if (type === 'comment.deleted') return this.applyDelete(data.id, (data as DeleteCommentResult).status);
    const comment = data as CommentNode;
    const node = locate(thread.comments, comment.id)?.pop() ?? ctx.pending().find((pending) => pending.id === comment.id);
    if (node) {
      const { replies } = node;
      Object.assign(node, comment, { replies });
      // The reader's held comment was approved: it is public now.
      if (comment.id in ctx.held()) {
        this.setHeld(comment.id);
        thread.total++;
      }
      ctx.element.requestUpdate();
    } else if (type === 'comment.created' && !ctx.posted.has(comment.id)) {
      ctx.setPending([...ctx.pending(), { ...comment, replies: [] }]);
    }
  };

  /** The banner's "show": the waiting comments join the thread, and focus goes to the first. */
  showPending(): void {
    const { ctx } = this;
    const pending = ctx.pending();
    ctx.setPending([]);
    for (const node of pending) this.insert(node);
    if (pending[0]) void ctx.focusOn(`#comment-${pending[0].id}`);
  }

  /** Fetches the branch of a permalinked comment that is not in the loaded pages; true once it is in the thread. */
  async fetchComment(id: string): Promise<boolean> {
    const { ctx } = this;
    const thread = ctx.thread();
    if (!thread) return false;
    const found = await ctx
      .call('GET /api/comments/{id}', { params: { id }, query: { site: ctx.siteId(), sort: ctx.element.sort, avatars: ctx.avatars() } })
      .catch(() => undefined);
    if (!found || found.page !== thread.page || ctx.thread() !== thread) return false;
    merge(thread.comments, [found.comment]);
    return true;
  }

  async like(node: CommentNode, liked: boolean): Promise<void> {
    const { ctx } = this;
    const key = `liked:${ctx.storeKey()}`;
    const set = (on: boolean) => save(key, [...load<string[]>(key, []).filter((id) => id !== node.id), ...(on ? [node.id] : [])]);
    // Optimistic: flip at once, then take the server's word for both the count and the state.
    const before = node.likes;
    node.likes = Math.max(0, before + (liked ? 1 : -1));
    set(liked);
    ctx.element.requestUpdate();
    try {
      const result = await ctx.call('POST /api/comments/{id}/like', {
        params: { id: node.id },
        body: { site: ctx.siteId(), readerId: readerId(), liked },
      });
      node.likes = result.likes;
      set(result.liked);
    } catch (error) {
      node.likes = before;
      set(!liked);
      ctx.setNote(node.id, { message: failure(localize(ctx.element), error) });
    }
    ctx.element.requestUpdate();
  }

  /** Appends the next page of top-level comments. */
  async more(): Promise<void> {
    const { ctx } = this;
    const thread = ctx.thread();
    if (!thread?.nextCursor) return;
    const next = await ctx
      .call('GET /api/comments', {
        query: { site: ctx.siteId(), page: thread.page, sort: ctx.element.sort, cursor: thread.nextCursor, avatars: ctx.avatars() },
      })
      .catch(() => undefined);
    if (!next) return;
    merge(thread.comments, next.comments);
    thread.nextCursor = next.nextCursor;
    ctx.element.requestUpdate();
  }

  /**
   * Loads the replies of a long branch that did not come with the page. The first request has no
   * cursor and repeats what came with the page, so pages are read until one adds something.
   */
  async moreReplies(node: CommentNode): Promise<void> {
    const { ctx } = this;
    const cursors = ctx.replyCursors;
    const before = descendants(node);
    let cursor = cursors.get(node.id);
    do {
      const response = await ctx
        .call('GET /api/comments/{id}/replies', {
          params: { id: node.id },
          query: { site: ctx.siteId(), cursor: cursor ?? undefined, avatars: ctx.avatars() },
        })
        .catch(() => undefined);
      if (!response) break;
      graft(node, response.comments);
      cursor = response.nextCursor;
    } while (cursor && descendants(node) === before);
    cursors.set(node.id, cursor ?? null);
    ctx.element.requestUpdate();
  }
}

/**
 * Installs the writing tools in `element` (`install` makes it render them) in place of the
 * placeholder composer it drew first (or the server-rendered form it slotted): adds their
 * styles, then moves what the reader did in it meanwhile — values, the focused field, the
 * selection — into the real form, and drops the server's form.
 */
export async function takeOver(element: LitElement, install: () => void): Promise<void> {
  const root = element.renderRoot as ShadowRoot;
  const before = root.querySelector<HTMLFormElement>('form.composer') ?? element.querySelector<HTMLFormElement>(':scope>form[slot]');
  const values = [...(before?.elements ?? [])].map((control) => control as HTMLInputElement);
  // A slotted field is focused in the element's tree, not in its shadow root.
  const focused = (before?.getRootNode() as DocumentOrShadowRoot | undefined)?.activeElement as HTMLInputElement | null;
  // Without adoptable sheets Lit appends <style> elements: only the new one is added then.
  adoptStyles(root, supportsAdoptingStyleSheets ? [...(element.constructor as typeof LitElement).elementStyles, writerStyles] : [writerStyles]);
  install();
  element.requestUpdate();
  await element.updateComplete;
  const form = root.querySelector<HTMLTextAreaElement>(`#body-${ROOT}`)?.form;
  if (before?.slot) before.remove();
  for (const old of values) {
    const control = old.name && (form?.elements.namedItem(old.name) as HTMLInputElement | null);
    // Only what the reader changed: the server's empty name field must not blank a remembered name.
    if (!control || (old.type === 'checkbox' ? old.checked === old.defaultChecked : old.value === old.defaultValue)) continue;
    if (old.type === 'checkbox') control.checked = old.checked;
    else if (control.value !== old.value) {
      control.value = old.value;
      control.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }
  const again = focused?.name && (form?.elements.namedItem(focused.name) as HTMLInputElement | null);
  if (again && before?.contains(focused)) {
    again.focus();
    if ('selectionStart' in focused && focused.type !== 'checkbox' && focused.type !== 'email') {
      again.setSelectionRange(focused.selectionStart, focused.selectionEnd);
    }
  }
}
