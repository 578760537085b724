import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { Comment, CommentNode, CommentThread, NewCommentInput } from '@parley/schema';
import { AUTHOR_NAME_MAX_LENGTH, COMMENT_BODY_MAX_LENGTH, DEFAULT_SITE } from '@parley/schema/limits';
import { ApiError, request } from '../../controllers/api-client.ts';
import { InViewportController } from '../../controllers/in-viewport.ts';
import { pageIdentity } from '../../controllers/page-identity.ts';
import { serverOrigin } from '../../controllers/server-origin.ts';
import { ParleyCommentPostedEvent } from '../../events/comment-posted.ts';
import { ParleyCommentsLoadedEvent } from '../../events/comments-loaded.ts';
import { localize, type Translation } from '../../i18n/localize.ts';
import { hostStyles } from '../../styles/tokens.ts';
import { styles } from './comments.styles.ts';

/** What one form (the top one, or a reply form keyed by its parent id) shows after a failed post. */
interface FormState {
  busy?: boolean;
  message?: string;
  /** Field name (`name` or `body`) → the server's message for it. */
  fields?: Partial<Record<'name' | 'body', string>>;
}

const ROOT = 'root';
const FIELD_OF_PATH: Record<string, 'name' | 'body'> = { body: 'body', 'author.name': 'name' };

/**
 * A threaded guest-comment section: the thread of one page and a form to join it.
 *
 * @summary Threaded comments for a page, with a form to post comments and replies.
 *
 * @event {ParleyCommentsLoadedEvent} parley-comments-loaded - The thread finished loading; `event.thread` holds it.
 * @event {ParleyCommentPostedEvent} parley-comment-posted - A comment or reply was posted; `event.comment` holds it.
 *
 * @csspart heading - The section heading.
 * @csspart comment - Each comment's `<article>`.
 * @csspart author - A comment author's name.
 * @csspart time - A comment's `<time>`.
 * @csspart body - A comment's text.
 * @csspart reply-button - The Reply button under each comment.
 * @csspart form - Every comment form (top-level and reply).
 * @csspart textarea - The comment textarea of every form.
 * @csspart submit - The submit button of every form.
 * @csspart form-error - The error shown next to a form after a failed post.
 * @csspart error - The load-error box with its Retry button.
 *
 * @cssproperty --parley-font - Font family.
 * @cssproperty --parley-font-size - Base font size.
 * @cssproperty --parley-heading-size - Size of the heading.
 * @cssproperty --parley-color-text - Text colour.
 * @cssproperty --parley-color-muted - Secondary text colour (times, hints).
 * @cssproperty --parley-color-accent - Buttons, links and focus rings.
 * @cssproperty --parley-color-accent-text - Text on accent-coloured buttons.
 * @cssproperty --parley-color-bg - Background of the whole element.
 * @cssproperty --parley-color-surface - Background of comments.
 * @cssproperty --parley-color-field - Background of inputs.
 * @cssproperty --parley-color-border - Borders and thread lines.
 * @cssproperty --parley-color-danger - Error text.
 * @cssproperty --parley-radius - Corner radius.
 * @cssproperty --parley-space - Base spacing unit.
 */
export class ParleyComments extends LitElement {
  static override styles = [hostStyles, styles];

  private readonly viewport = new InViewportController(this);

  private readonly task = new Task(this, {
    task: async ([server, site, page, visible], { signal }) => {
      if (!visible) return initialState;
      return request<CommentThread>(server, '/api/comments', { query: { site, page }, signal });
    },
    args: () =>
      [serverOrigin(this.server), this.site || DEFAULT_SITE, pageIdentity(this.page), this.loading === 'eager' || this.viewport.visible] as const,
  });

  /** Id of the comment whose reply form is open. */
  @state() private replyTo: string | null = null;
  /** Per-form posting state and errors. */
  @state() private forms: Record<string, FormState> = {};
  /** Text of the polite live region. */
  @state() private announcement = '';
  /** The name the reader last posted with, to prefill reply forms. */
  @state() private authorName = '';

  /** The page the thread belongs to; defaults to the canonical link's path, else `location.pathname`. */
  @property() page = '';
  /** The site id configured on the server. */
  @property() site = '';
  /** The Parley server's base URL; defaults to the origin `embed.js` was loaded from. */
  @property() server = '';
  /** The section's heading text; defaults to "Leave a Comment" in the page's language. */
  @property() heading = '';
  /** `lazy` loads the thread when it nears the viewport; `eager` loads it at once. */
  @property() loading: 'lazy' | 'eager' = 'lazy';
  /** `light`, `dark`, or `auto` (follows the reader's colour scheme). */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'auto';

  private dispatched?: CommentThread;

  /** Loads the thread again (also when it has not come into view yet). */
  reload(): Promise<void> {
    this.viewport.visible = true;
    return this.task.run();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const thread = this.task.value;
    if (this.task.status === TaskStatus.COMPLETE && thread && thread !== this.dispatched) {
      this.dispatched = thread;
      this.dispatchEvent(new ParleyCommentsLoadedEvent(thread));
    }
  }

  protected override render(): TemplateResult {
    const t = localize(this);
    const status = this.task.status;
    const busy = status === TaskStatus.INITIAL || status === TaskStatus.PENDING;
    return html`
      <section aria-labelledby="heading" aria-busy=${busy ? 'true' : 'false'} dir=${t.$dir}>
        <h2 id="heading" part="heading">${this.heading || t.commentsHeading}</h2>
        ${this.renderForm(t, null)}
        <div class="thread">
          ${this.task.render({
            initial: () => this.renderLoading(t),
            pending: () => this.renderLoading(t),
            error: () => this.renderError(t),
            complete: (thread) => this.renderThread(t, thread),
          })}
        </div>
        <div role="status" class="visually-hidden">${this.announcement}</div>
      </section>
    `;
  }

  private renderLoading(t: Translation): TemplateResult {
    return html`<p class="loading muted">${t.loading}</p>`;
  }

  private renderError(t: Translation): TemplateResult {
    return html`<div class="load-error" part="error">
      <p class="error">${t.loadCommentsError}</p>
      <button type="button" class="button secondary" @click=${() => this.reload()}>${t.retry}</button>
    </div>`;
  }

  private renderThread(t: Translation, thread: CommentThread): TemplateResult {
    if (thread.comments.length === 0) return html`<p class="empty muted">${t.noComments}</p>`;
    return html`<h3 class="count">${t.commentCount(thread.total)}</h3>
      <ol class="comments">
        ${thread.comments.map((node) => this.renderComment(t, node))}
      </ol>`;
  }

  private renderComment(t: Translation, node: CommentNode): TemplateResult {
    const name = node.author.name || t.anonymous;
    const date = new Date(node.createdAt);
    const open = this.replyTo === node.id;
    return html`<li>
      <article id="comment-${node.id}" part="comment" tabindex="-1" aria-labelledby="author-${node.id}">
        <header>
          <span class="avatar" aria-hidden="true">${[...name][0]!.toUpperCase()}</span>
          <span class="author" part="author" id="author-${node.id}">${name}</span>
          <time part="time" datetime=${node.createdAt} title=${t.dateTime(date)}>${t.relativeTime(date)}</time>
        </header>
        <p class="body" part="body">${node.body}</p>
        <button
          type="button"
          class="link-button"
          part="reply-button"
          aria-expanded=${open ? 'true' : 'false'}
          aria-label=${t.replyTo(name)}
          @click=${() => this.openReply(node.id)}
        >
          ${t.reply}
        </button>
      </article>
      ${open ? this.renderForm(t, node.id, name) : nothing}
      ${node.replies.length ? html`<ol class="replies">${node.replies.map((reply) => this.renderComment(t, reply))}</ol>` : nothing}
    </li>`;
  }

  private renderForm(t: Translation, parentId: string | null, replyToName?: string): TemplateResult {
    const key = parentId ?? ROOT;
    const state = this.forms[key] ?? {};
    const fieldError = (field: 'name' | 'body') => {
      const message = state.fields?.[field];
      return message ? html`<p class="error field-error" id="${field}-${key}-error">${message}</p>` : nothing;
    };
    const describedBy = (field: 'name' | 'body') => (state.fields?.[field] ? `${field}-${key}-error` : nothing);
    return html`<form
      part="form"
      class=${parentId ? 'form reply-form' : 'form'}
      aria-label=${replyToName ? t.replyTo(replyToName) : t.commentsHeading}
      @submit=${(event: SubmitEvent) => this.submit(event, parentId)}
    >
      <div class="field">
        <label for="name-${key}">${t.nameLabel} <span class="muted">${t.optional}</span></label>
        <input
          id="name-${key}"
          name="name"
          type="text"
          autocomplete="name"
          maxlength=${AUTHOR_NAME_MAX_LENGTH}
          .value=${this.authorName}
          aria-invalid=${state.fields?.name ? 'true' : 'false'}
          aria-describedby=${describedBy('name')}
        />
        ${fieldError('name')}
      </div>
      <div class="field">
        <label for="body-${key}">${t.bodyLabel}</label>
        <textarea
          id="body-${key}"
          name="body"
          part="textarea"
          rows=${parentId ? 3 : 4}
          required
          maxlength=${COMMENT_BODY_MAX_LENGTH}
          aria-invalid=${state.fields?.body ? 'true' : 'false'}
          aria-describedby=${describedBy('body')}
        ></textarea>
        ${fieldError('body')}
      </div>
      ${state.message ? html`<p class="error" part="form-error">${state.message}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="button" part="submit" ?disabled=${state.busy}>
          ${state.busy ? t.posting : parentId ? t.submitReply : t.submit}
        </button>
        ${parentId
          ? html`<button type="button" class="button secondary" @click=${() => this.closeReply(parentId)}>${t.cancel}</button>`
          : nothing}
      </div>
    </form>`;
  }

  private async openReply(id: string): Promise<void> {
    this.replyTo = this.replyTo === id ? null : id;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>(`#body-${id}`)?.focus();
  }

  private async closeReply(id: string): Promise<void> {
    this.replyTo = null;
    this.setForm(id, {});
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#comment-${id} [part~='reply-button']`)?.focus();
  }

  private setForm(key: string, state: FormState): void {
    this.forms = { ...this.forms, [key]: state };
  }

  private async announce(message: string): Promise<void> {
    // Clearing first makes screen readers repeat a message that is the same as the last one.
    this.announcement = '';
    await this.updateComplete;
    this.announcement = message;
  }

  private async submit(event: SubmitEvent, parentId: string | null): Promise<void> {
    event.preventDefault();
    const key = parentId ?? ROOT;
    if (this.forms[key]?.busy) return;
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const input: NewCommentInput = {
      site: this.site || DEFAULT_SITE,
      page: pageIdentity(this.page),
      body: String(data.get('body') ?? ''),
      ...(parentId ? { parentId } : {}),
      ...(name ? { author: { name } } : {}),
    };
    const t = localize(this);
    this.setForm(key, { busy: true });
    let comment: Comment;
    try {
      comment = await request<Comment>(serverOrigin(this.server), '/api/comments', { body: input });
    } catch (error) {
      const fields: FormState['fields'] = {};
      for (const issue of error instanceof ApiError ? error.issues : []) {
        const field = FIELD_OF_PATH[issue.path];
        if (field) fields[field] ??= issue.message;
      }
      const message = t.postError((error as Error).message);
      this.setForm(key, { message, fields });
      void this.announce(message);
      await this.updateComplete;
      const invalid = fields.body ? 'body' : fields.name ? 'name' : null;
      if (invalid) form.querySelector<HTMLElement>(`[name="${invalid}"]`)?.focus();
      return;
    }

    this.authorName = name;
    form.querySelector('textarea')!.value = '';
    this.setForm(key, {});
    if (parentId) this.replyTo = null;
    this.insert(comment);
    void this.announce(t.commentPosted);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#comment-${comment.id}`)?.focus();
    this.dispatchEvent(new ParleyCommentPostedEvent(comment));
  }

  /** Puts a freshly posted comment into the loaded thread (or loads the thread if there is none). */
  private insert(comment: Comment): void {
    const thread = this.task.value;
    if (this.task.status !== TaskStatus.COMPLETE || !thread) {
      void this.reload();
      return;
    }
    const node: CommentNode = { ...comment, replies: [] };
    const parent = comment.parentId ? find(thread.comments, comment.parentId) : undefined;
    (parent ? parent.replies : thread.comments).push(node);
    thread.total += 1;
    this.requestUpdate();
  }
}

function find(nodes: CommentNode[], id: string): CommentNode | undefined {
  for (const node of nodes) {
    if (node.id === id) return node;
    const found = find(node.replies, id);
    if (found) return found;
  }
  return undefined;
}
