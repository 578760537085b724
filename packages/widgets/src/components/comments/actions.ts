import { adoptStyles, supportsAdoptingStyleSheets, type LitElement } from 'lit';
import type { CommentNode } from '@parley/schema';
import { load, readerId, save } from '../../controllers/storage.ts';
import { localize } from '../../i18n/localize.ts';
import type { WriterContext } from './context.ts';
import { ROOT, failure } from './form-state.ts';
import { descendants, graft, merge } from './thread-tree.ts';
import { writerStyles } from './writer.styles.ts';

/**
 * What a reader does with a shown thread besides writing — like, show more comments, show more
 * replies — in the writing tools' chunk: the first load only draws the buttons, the first click
 * loads what they do.
 */
export class ReaderActions {
  constructor(readonly ctx: WriterContext) {}

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
        query: { site: ctx.siteId(), page: thread.page, sort: ctx.sort(), cursor: thread.nextCursor, avatars: ctx.avatars() },
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
 * placeholder composer it drew first: adds their styles, then moves what the reader did in the
 * composer meanwhile — values, the focused field, the selection — into the real form.
 */
export async function takeOver(element: LitElement, install: () => void): Promise<void> {
  const root = element.renderRoot as ShadowRoot;
  const before = root.querySelector<HTMLFormElement>('form.composer');
  const values = [...(before?.elements ?? [])].map((control) => control as HTMLInputElement);
  const focused = root.activeElement as HTMLInputElement | null;
  // Without adoptable sheets Lit appends <style> elements: only the new one is added then.
  adoptStyles(root, supportsAdoptingStyleSheets ? [...(element.constructor as typeof LitElement).elementStyles, writerStyles] : [writerStyles]);
  install();
  element.requestUpdate();
  await element.updateComplete;
  const form = root.querySelector<HTMLTextAreaElement>(`#body-${ROOT}`)?.form;
  for (const old of values) {
    const control = old.name && (form?.elements.namedItem(old.name) as HTMLInputElement | null);
    if (!control) continue;
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
