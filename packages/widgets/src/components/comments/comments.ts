import { LitElement, html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from '../../decorators.ts';
import { Task, TaskStatus, initialState } from '@lit/task';
import type {
  CommentNode,
  CommentPermalink,
  CommentSort,
  CommentThread,
  CommentWithSource,
  DeleteCommentResult,
  FlagReason,
  FlagResult,
  LikeResult,
  NewCommentInput,
  NewFlag,
  PostedComment,
  PreviewResponse,
  RepliesResponse,
  SitePublicSettings,
} from '@parley/schema';
import {
  AUTHOR_EMAIL_MAX_LENGTH,
  AUTHOR_NAME_MAX_LENGTH,
  COMMENT_BODY_MAX_LENGTH,
  DEFAULT_SITE,
  EDIT_TOKEN_HEADER,
  FLAG_REASON_DETAIL_MAX_LENGTH,
  FLAG_REASONS,
} from '@parley/schema/limits';
import { ApiError, apiUrl, request, type RequestOptions } from '../../controllers/api-client.ts';
import { InViewportController } from '../../controllers/in-viewport.ts';
import { LiveStreamController, type StreamListener } from '../../controllers/live-stream.ts';
import { pageIdentity } from '../../controllers/page-identity.ts';
import { serverOrigin } from '../../controllers/server-origin.ts';
import { takeServerRendered } from '../../controllers/server-rendered.ts';
import { load, readerId, save } from '../../controllers/storage.ts';
import { ParleyCommentDeletedEvent } from '../../events/comment-deleted.ts';
import { ParleyCommentEditedEvent } from '../../events/comment-edited.ts';
import { ParleyCommentPostedEvent } from '../../events/comment-posted.ts';
import { ParleyCommentsLoadedEvent } from '../../events/comments-loaded.ts';
import { localize, type Translation } from '../../i18n/localize.ts';
import { hostStyles } from '../../styles/tokens.ts';
import { identicon } from './identicon.ts';
import { safeHtml } from './sanitize.ts';
import { styles } from './comments.styles.ts';

type Field = 'name' | 'email' | 'body';

/** What one form (top, reply keyed by parent id, edit keyed `e` + id, actions keyed `a` + id) shows. */
interface FormState {
  busy?: boolean;
  message?: string;
  /** The message is good news (a report was taken), not an error. */
  ok?: boolean;
  fields?: Partial<Record<Field, string>>;
}

/** What this browser keeps about a comment it posted, to edit or delete it in time. */
interface Own {
  token: string;
  body: string;
  editableUntil: string;
}

const ROOT = 'root';
const FIELD_OF_PATH: Record<string, Field> = { body: 'body', 'author.name': 'name', 'author.email': 'email' };
const SORTS: CommentSort[] = ['oldest', 'newest', 'top'];
/** A comment held for approval is shown to its author for a week at most (then it was most likely rejected). */
const HELD_MS = 7 * 864e5;
/** Per server and site: the minimum fill time from `GET /api/sites/:id`, asked once per page. */
const minFills = new Map<string, Promise<number>>();
const HEART = svg`<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M8 14S1.5 10 1.5 5.5a3.2 3.2 0 0 1 6.5-1 3.2 3.2 0 0 1 6.5 1C14.5 10 8 14 8 14z"/></svg>`;

/**
 * A threaded guest-comment section: the thread of one page and a form to join it. Comments are
 * markdown, rendered and sanitised by the server and rebuilt here through a small allowlist.
 * Readers can reply at any depth, preview, edit and delete their own comments for a while,
 * like, report, sort, page through big threads, and see new comments arrive live. A comment the
 * site holds for approval stays visible to its author (kept in localStorage) with a badge until a
 * moderator approves it. The forms carry a hidden honeypot field and how long they were open.
 *
 * @summary Threaded comments for a page, with a form to post comments and replies.
 *
 * @event {ParleyCommentsLoadedEvent} parley-comments-loaded - The thread finished loading; `event.thread` holds it.
 * @event {ParleyCommentPostedEvent} parley-comment-posted - A comment or reply was posted from this element; `event.comment` holds it.
 * @event {ParleyCommentEditedEvent} parley-comment-edited - The reader edited one of their comments; `event.comment` holds it.
 * @event {ParleyCommentDeletedEvent} parley-comment-deleted - The reader deleted one of their comments; `event.id` and `event.status`.
 *
 * @csspart heading - The section heading.
 * @csspart count - The comment count above the list.
 * @csspart sort - The sort `<select>`.
 * @csspart banner - The "N new comments — show" button of live updates.
 * @csspart comment - Each comment's `<article>`.
 * @csspart highlighted - The comment a permalink (`#comment-ID`) points at.
 * @csspart deleted - The "[deleted]" placeholder of a deleted comment that has replies.
 * @csspart meta - A comment's header: avatar, author, time.
 * @csspart avatar - A comment's avatar (identicon `<svg>` or Gravatar `<img>`).
 * @csspart author - A comment author's name.
 * @csspart in-reply-to - "in reply to NAME" on replies deeper than `max-depth`.
 * @csspart permalink - The link around a comment's time.
 * @csspart time - A comment's `<time>`.
 * @csspart edited - The "(edited)" marker.
 * @csspart pending - The reader's own comment while it waits for approval (with `comment`).
 * @csspart pending-badge - The "Waiting for approval" badge on it.
 * @csspart body - A comment's text.
 * @csspart actions - The row of buttons under a comment.
 * @csspart like-button - The like toggle (`aria-pressed`) with its count.
 * @csspart reply-button - The Reply button under each comment.
 * @csspart edit-button - Edit, on the reader's own comments while editable.
 * @csspart delete-button - Delete, on the reader's own comments while editable.
 * @csspart report-button - Report, on other readers' comments (`aria-expanded`).
 * @csspart report-form - The form under a comment to pick a reason and report it.
 * @csspart note - "Thanks — a moderator will take a look" after a report.
 * @csspart collapse-button - Hides or shows a branch's replies (`aria-expanded`).
 * @csspart more-replies-button - Loads the rest of a long branch.
 * @csspart more-button - Loads the next page of comments.
 * @csspart form - Every comment form (top-level, reply and edit).
 * @csspart tab - The Write and Preview toggles (`aria-pressed`) of a form.
 * @csspart textarea - The comment textarea of every form.
 * @csspart preview - The rendered preview of a form.
 * @csspart submit - The submit button of every form.
 * @csspart form-error - The error shown next to a form (or a comment's actions) after a failure.
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
 * @cssproperty --parley-color-highlight - Background a permalinked comment fades from.
 * @cssproperty --parley-focus-ring - Focus outline.
 * @cssproperty --parley-radius - Corner radius.
 * @cssproperty --parley-space - Base spacing unit.
 * @cssproperty --parley-indent - Indentation of each reply level.
 * @cssproperty --parley-avatar-size - Avatar width and height.
 * @cssproperty --parley-max-width - Widest the section grows.
 */
export class ParleyComments extends LitElement {
  static override styles = [hostStyles, styles];

  readonly #viewport = new InViewportController(this);

  readonly #task = new Task(this, {
    task: async ([server, site, page, sort, avatars, visible], { signal }) => {
      if (!visible) return initialState;
      this.pending = [];
      const thread =
        takeServerRendered<CommentThread>(this, 'data-parley-first-page', (t) => t.site === site && t.page === page && t.sort === sort && !avatars) ??
        (await request<CommentThread>(server, '/api/comments', { query: { site, page, sort, avatars }, signal }));
      // The reader's comments awaiting approval are in no public list: add them from storage until they appear there.
      const held = this.#held;
      for (const id in held) {
        const node = held[id]!;
        if (locate(thread.comments, id) || Date.parse(node.createdAt) < Date.now() - HELD_MS) delete held[id];
        else if (node.page === thread.page) place(thread, { ...node, replies: [] }, sort);
      }
      save(`held:${this.#storeKey}`, held);
      return thread;
    },
    args: () =>
      [
        serverOrigin(this.server),
        this.#siteId,
        pageIdentity(this.page),
        this.sort,
        this.#avatars,
        this.loading === 'eager' || this.#viewport.visible,
      ] as const,
  });

  readonly #live = new LiveStreamController(this, (type, data) => this.#onLive(type, data));

  /** Id of the comment whose reply form is open. */
  @state() private replyTo: string | null = null;
  /** Id of the comment whose report form is open. */
  @state() private reporting: string | null = null;
  /** Id of the comment being edited in place. */
  @state() private editing: string | null = null;
  /** Per-form posting state and errors. */
  @state() private forms: Record<string, FormState> = {};
  /** Per-form preview: absent while writing, `null` while rendering, else the server's HTML. */
  @state() private previews: Record<string, string | null> = {};
  /** Text of the polite live region. */
  @state() private announcement = '';
  /** Comments other readers posted since the thread loaded, waiting behind the banner. */
  @state() private pending: CommentNode[] = [];
  /** Ids of branches whose replies are hidden. */
  @state() private collapsed = new Set<string>();
  /** The comment `#comment-ID` points at. */
  @state() private highlighted = '';

  /** The page the thread belongs to; defaults to the canonical link's path, else `location.pathname`. */
  @property() page = '';
  /** The site id configured on the server. */
  @property() site = '';
  /** The Parley server's base URL; defaults to the origin `embed.js` was loaded from. */
  @property() server = '';
  /** The section's heading text; defaults to "Leave a Comment" in the page's language. */
  @property() heading = '';
  /** Overrides the label of the name field. */
  @property({ attribute: 'label-name' }) labelName = '';
  /** Overrides the label of the comment textarea. */
  @property({ attribute: 'label-comment' }) labelComment = '';
  /** Overrides the text of the top form's submit button. */
  @property({ attribute: 'label-submit' }) labelSubmit = '';
  /** `lazy` loads the thread when it nears the viewport; `eager` loads it at once. */
  @property() loading: 'lazy' | 'eager' = 'lazy';
  /** Order of top-level comments: `oldest` (default), `newest` or `top` (most liked). */
  @property() sort: CommentSort = 'oldest';
  /** Reply levels indented; deeper replies stay at the last level and say whom they answer. */
  @property({ attribute: 'max-depth', type: Number }) maxDepth = 4;
  /** `gravatar` shows Gravatar images for authors who gave an email (a request to gravatar.com); default: identicons drawn here. */
  @property() avatars = '';
  /** Hides avatars. */
  @property({ attribute: 'no-avatars', type: Boolean }) noAvatars = false;
  /** Turns off live updates (no `EventSource`). */
  @property({ attribute: 'no-live', type: Boolean }) noLive = false;
  /** `light`, `dark`, or `auto` (follows the page's colour scheme). */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'auto';

  #dispatched?: CommentThread;
  /** Ids posted from this element: their live `comment.created` is not news. */
  readonly #posted = new Set<string>();
  /** Cursors of branches whose remaining replies were asked for (`null`: none left). */
  readonly #replyCursors = new Map<string, string | null>();
  #timer?: ReturnType<typeof setInterval>;
  /** When each new-comment form was shown (`performance.now()`), to send how long it was open as `fillMs`. */
  readonly #shown = new Map<string, number>();

  get #siteId(): string {
    return this.site || DEFAULT_SITE;
  }

  /** `gravatar` when the site wants Gravatar images (the `avatars` query of every thread read), else undefined. */
  get #avatars(): 'gravatar' | undefined {
    return this.avatars === 'gravatar' ? 'gravatar' : undefined;
  }

  get #storeKey(): string {
    return `${serverOrigin(this.server)}|${this.#siteId}`;
  }

  /** The comments this browser may still edit, by id (expired ones are dropped). */
  get #own(): Record<string, Own> {
    return load<Record<string, Own>>(`own:${this.#storeKey}`, {});
  }

  #setOwn(id: string, value?: Own): void {
    const own = this.#own;
    const now = Date.now();
    for (const key in own) if (Date.parse(own[key]!.editableUntil) < now) delete own[key];
    if (value) own[id] = value;
    else delete own[id];
    save(`own:${this.#storeKey}`, own);
  }

  /** The reader's comments that wait for approval, by id. */
  get #held(): Record<string, CommentNode> {
    return load<Record<string, CommentNode>>(`held:${this.#storeKey}`, {});
  }

  /** Keeps (or, without `node`, forgets) one of the reader's comments that waits for approval. */
  #setHeld(id: string, node?: CommentNode): void {
    const held = this.#held;
    if (node) held[id] = { ...node, replies: [] };
    else delete held[id];
    save(`held:${this.#storeKey}`, held);
  }

  get #liked(): string[] {
    return load<string[]>(`liked:${this.#storeKey}`, []);
  }

  /** Loads the thread again (also when it has not come into view yet). */
  reload(): Promise<void> {
    this.#viewport.visible = true;
    return this.#task.run();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Relative times and the edit window move on: re-render every minute.
    this.#timer = setInterval(() => this.requestUpdate(), 60_000);
    addEventListener('hashchange', this.#onHash);
    // A reconnected element re-subscribes to the live stream in updated().
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#timer);
    removeEventListener('hashchange', this.#onHash);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const thread = this.#task.value;
    const complete = this.#task.status === TaskStatus.COMPLETE && thread;
    this.#live.follow(
      complete && this.isConnected && !this.noLive
        ? apiUrl(serverOrigin(this.server), '/api/stream', { site: this.#siteId, page: pageIdentity(this.page) })
        : null,
    );
    if (complete && thread !== this.#dispatched) {
      this.#dispatched = thread;
      this.#replyCursors.clear();
      this.dispatchEvent(new ParleyCommentsLoadedEvent(thread));
      void this.#onHash();
    }
  }

  protected override render(): TemplateResult {
    const t = localize(this);
    const status = this.#task.status;
    const busy = status === TaskStatus.INITIAL || status === TaskStatus.PENDING;
    return html`
      <section aria-labelledby="heading" aria-busy=${busy} dir=${t.$dir}>
        <h2 id="heading" part="heading" tabindex="-1">${this.heading || t.commentsHeading}</h2>
        ${this.#renderForm(t, ROOT)}
        <div class="thread">
          ${this.#task.render({
            initial: () => this.#renderLoading(t),
            pending: () => this.#renderLoading(t),
            error: () => this.#renderError(t),
            complete: (thread) => this.#renderThread(t, thread),
          })}
        </div>
        <div role="status" class="visually-hidden">${this.announcement}</div>
      </section>
    `;
  }

  #renderLoading(t: Translation): TemplateResult {
    return html`<p class="loading muted">${t.loading}</p>`;
  }

  #renderError(t: Translation): TemplateResult {
    return html`<div class="load-error" part="error">
      <p class="error">${t.loadCommentsError}</p>
      <button type="button" class="button secondary" @click=${() => this.reload()}>${t.retry}</button>
    </div>`;
  }

  #renderThread(t: Translation, thread: CommentThread): TemplateResult {
    const count = this.pending.length;
    return html`${thread.comments.length
        ? html`<div class="toolbar">
            <h3 class="count" part="count">${t.commentCount(thread.total)}</h3>
            <label
              >${t.sortLabel}
              <select part="sort" @change=${(event: Event) => (this.sort = (event.target as HTMLSelectElement).value as CommentSort)}>
                ${SORTS.map(
                  (sort, i) => html`<option value=${sort} ?selected=${sort === this.sort}>${[t.sortOldest, t.sortNewest, t.sortTop][i]}</option>`,
                )}
              </select></label
            >
          </div>`
        : html`<p class="empty muted">${t.noComments}</p>`}
      <div class="banner" aria-live="polite">
        ${count ? html`<button type="button" class="button secondary" part="banner" @click=${this.#showPending}>${t.newComments(count)}</button>` : nothing}
      </div>
      ${thread.comments.length ? html`<ol class="comments">${thread.comments.map((node) => this.#renderComment(t, node, 1))}</ol>` : nothing}
      ${thread.nextCursor
        ? html`<button type="button" class="button secondary" part="more-button" @click=${() => this.#more()}>${t.moreComments}</button>`
        : nothing}`;
  }

  /** One comment in its `<li>`; `parentName` and `leaf` for the flat descendants past `max-depth`. */
  #renderComment(t: Translation, node: CommentNode, depth: number, parentName?: string, leaf = false): TemplateResult {
    const { id } = node;
    const name = node.author.name || t.anonymous;
    const date = new Date(node.createdAt);
    const open = this.replyTo === id;
    const deleted = node.status === 'deleted';
    const own = this.#own[id];
    const editable = !deleted && own && Date.parse(own.editableUntil) > Date.now();
    const held = id in this.#held;
    const liked = this.#liked.includes(id);
    const collapsed = this.collapsed.has(id);
    const present = descendants(node);
    const cursor = this.#replyCursors.get(id);
    const note = this.forms[`a${id}`] ?? {};
    // Replies indent while there is depth left; past it, a branch's descendants follow flat.
    const flat = depth >= this.maxDepth;
    return html`<li>
      <article
        id="comment-${id}"
        part="comment${deleted ? ' deleted' : ''}${held ? ' pending' : ''}${this.highlighted === id ? ' highlighted' : ''}"
        class=${this.highlighted === id ? 'highlighted' : ''}
        tabindex="-1"
        aria-labelledby="author-${id}"
      >
        <header part="meta">
          ${this.noAvatars || deleted
            ? nothing
            : this.#avatars && /^[0-9a-f]{64}$/.test(node.author.gravatar ?? '')
              ? html`<img
                  part="avatar"
                  class="avatar"
                  alt=""
                  src="https://www.gravatar.com/avatar/${node.author.gravatar}?d=identicon&s=64"
                  referrerpolicy="no-referrer"
                  loading="lazy"
                />`
              : html`<span part="avatar" class="avatar">${identicon(node.author.avatar)}</span>`}
          <span class="author" part="author" id="author-${id}">${deleted ? t.deleted : name}</span>
          ${parentName ? html`<span class="muted" part="in-reply-to">${t.inReplyTo(parentName)}</span>` : nothing}
          <a href="#comment-${id}" part="permalink"
            ><time part="time" datetime=${node.createdAt} title=${t.dateTime(date)}>${t.relativeTime(date)}</time></a
          >
          ${node.editedAt && !deleted ? html`<span class="muted" part="edited">${t.edited}</span>` : nothing}
          ${held ? html`<span class="badge" part="pending-badge">${t.pendingBadge}</span>` : nothing}
        </header>
        ${deleted
          ? nothing
          : this.editing === id
            ? this.#renderForm(t, `e${id}`, node)
            : html`<div class="body" part="body">${safeHtml(node.html)}</div>
                <div class="actions" part="actions">
                  ${held
                    ? nothing
                    : html`<button
                          type="button"
                          class="link-button like"
                          part="like-button"
                          aria-pressed=${liked}
                          @click=${() => this.#like(node, !liked)}
                        >
                          ${HEART}<span class="visually-hidden">${t.like}</span> ${node.likes}
                        </button>
                        <button
                          type="button"
                          class="link-button"
                          part="reply-button"
                          aria-expanded=${open}
                          aria-label=${t.replyTo(name)}
                          @click=${() => this.#openReply(id)}
                        >
                          ${t.reply}
                        </button>
                        ${own
                          ? nothing
                          : html`<button
                              type="button"
                              class="link-button"
                              part="report-button"
                              aria-expanded=${this.reporting === id}
                              @click=${() => this.#openReport(id)}
                            >
                              ${t.report}
                            </button>`}`}
                  ${editable
                    ? html`<button type="button" class="link-button" part="edit-button" @click=${() => this.#edit(id)}>${t.edit}</button>
                        <button type="button" class="link-button" part="delete-button" @click=${() => this.#deleteComment(node)}>
                          ${t.delete}
                        </button>`
                    : nothing}
                  ${!leaf && node.replies.length
                    ? html`<button
                        type="button"
                        class="link-button"
                        part="collapse-button"
                        aria-expanded=${!collapsed}
                        aria-controls="replies-${id}"
                        @click=${() => this.#toggle(id)}
                      >
                        ${t.replies(present)}
                      </button>`
                    : nothing}
                </div>
                ${this.reporting === id ? this.#renderReport(t, id) : nothing}
                ${note.message ? html`<p class=${note.ok ? '' : 'error'} part=${note.ok ? 'note' : 'form-error'}>${note.message}</p>` : nothing}`}
      </article>
      ${open ? this.#renderForm(t, id, node, name) : nothing}
      ${node.replies.length && !leaf
        ? html`<ol class=${flat ? 'replies flat' : 'replies'} id="replies-${id}" ?hidden=${collapsed}>
            ${flat
              ? flatten(node, t.anonymous).map(([reply, to]) => this.#renderComment(t, reply, depth, to, true))
              : node.replies.map((reply) => this.#renderComment(t, reply, depth + 1))}
          </ol>`
        : nothing}
      ${depth === 1 && node.replyCount > present && cursor !== null && !collapsed
        ? html`<button type="button" class="link-button more-replies" part="more-replies-button" @click=${() => this.#moreReplies(node)}>
            ${t.moreReplies(node.replyCount - present)}
          </button>`
        : nothing}
    </li>`;
  }

  /** The form under a comment to report it: a reason from the schema's list and optional details. */
  #renderReport(t: Translation, id: string): TemplateResult {
    const state = this.forms[`f${id}`] ?? {};
    return html`<form part="report-form" class="form sub-form" aria-label=${t.report} @submit=${(event: SubmitEvent) => this.#flag(event, id)}>
      <div class="field">
        <label for="reason-${id}">${t.reportReason}</label>
        <select id="reason-${id}" name="reason">
          ${FLAG_REASONS.map(
            (reason, i) =>
              html`<option value=${reason}>${[t.reasonSpam, t.reasonAbuse, t.reasonOffTopic, t.reasonPersonalData, t.reasonOther][i]}</option>`,
          )}
        </select>
      </div>
      <div class="field">
        <label for="detail-${id}">${t.reportDetail} <span class="muted">${t.optional}</span></label>
        <textarea id="detail-${id}" name="detail" rows="2" maxlength=${FLAG_REASON_DETAIL_MAX_LENGTH}></textarea>
      </div>
      ${state.message ? html`<p class="error" part="form-error">${state.message}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="button" part="submit" ?disabled=${state.busy}>${t.sendReport}</button>
        <button type="button" class="button secondary" @click=${() => this.#openReport(id)}>${t.cancel}</button>
      </div>
    </form>`;
  }

  /** The top form (`root`), a reply form (keyed by the parent's id) or an edit form (`e` + id, with `node`). */
  #renderForm(t: Translation, key: string, node?: CommentNode, replyToName?: string): TemplateResult {
    const state = this.forms[key] ?? {};
    const edit = key[0] === 'e';
    const preview = this.previews[key];
    const me = load<{ name?: string; email?: string } | null>('me', null);
    const fieldError = (field: Field) =>
      state.fields?.[field] ? html`<p class="error field-error" id="${field}-${key}-error">${state.fields[field]}</p>` : nothing;
    const invalid = (field: Field) => (state.fields?.[field] ? 'true' : 'false');
    const describedBy = (field: Field, hint = '') => [hint, state.fields?.[field] && `${field}-${key}-error`].filter(Boolean).join(' ') || nothing;
    /** The optional name or email field of a new comment, remembered from last time if the reader asked. */
    const identityField = (field: 'name' | 'email', label: string, max: number, hint?: string) =>
      html`<div class="field">
        <label for="${field}-${key}">${label} <span class="muted">${t.optional}</span></label>
        <input
          id="${field}-${key}"
          name=${field}
          type=${field === 'email' ? 'email' : 'text'}
          autocomplete=${field}
          maxlength=${max}
          .value=${me?.[field] ?? ''}
          aria-invalid=${invalid(field)}
          aria-describedby=${describedBy(field, hint && `${field}-${key}-hint`)}
        />
        ${hint ? html`<p class="hint muted" id="${field}-${key}-hint">${hint}</p>` : nothing}
        ${fieldError(field)}
      </div>`;
    if (!edit && !this.#shown.has(key)) this.#shown.set(key, performance.now());
    return html`<form
      part="form"
      class=${key === ROOT ? 'form' : 'form sub-form'}
      aria-label=${replyToName ? t.replyTo(replyToName) : edit ? t.edit : t.commentsHeading}
      @submit=${(event: SubmitEvent) => this.#submit(event, key, node)}
      @focusin=${this.#minFill}
    >
      ${edit
        ? nothing
        : html`<div class="trap" aria-hidden="true">
              <label for="hp-${key}">${t.honeypotLabel}</label><input id="hp-${key}" name="website" tabindex="-1" autocomplete="off" />
            </div>
            <div class="identity">
              ${identityField('name', this.labelName || t.nameLabel, AUTHOR_NAME_MAX_LENGTH)}
              ${identityField('email', t.emailLabel, AUTHOR_EMAIL_MAX_LENGTH, t.emailHint)}
            <label class="check"><input type="checkbox" name="remember" .checked=${!!me} /> ${t.remember}</label>
          </div>`}
      <div class="field">
        <div class="tabs">
          <label for="body-${key}">${this.labelComment || t.bodyLabel}</label>
          <button type="button" part="tab" aria-pressed=${preview === undefined} @click=${() => this.#showPreview(key, false)}>${t.write}</button>
          <button type="button" part="tab" aria-pressed=${preview !== undefined} @click=${() => this.#showPreview(key, true)}>${t.preview}</button>
        </div>
        <textarea
          id="body-${key}"
          name="body"
          part="textarea"
          rows=${key === ROOT ? 4 : 3}
          required
          maxlength=${COMMENT_BODY_MAX_LENGTH}
          .value=${edit ? (this.#own[node!.id]?.body ?? '') : ''}
          ?hidden=${preview !== undefined}
          aria-invalid=${invalid('body')}
          aria-describedby=${describedBy('body', `md-${key}`)}
        ></textarea>
        ${preview === undefined
          ? nothing
          : html`<div class="body preview" part="preview" aria-busy=${preview === null}>
              ${preview === null ? t.loading : preview ? safeHtml(preview) : t.previewEmpty}
            </div>`}
        <p class="hint muted" id="md-${key}">${t.markdownHint}</p>
        ${fieldError('body')}
      </div>
      ${state.message ? html`<p class="error" part="form-error">${state.message}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="button" part="submit" ?disabled=${state.busy}>
          ${state.busy ? t.posting : edit ? t.save : key !== ROOT ? t.submitReply : this.labelSubmit || t.submit}
        </button>
        ${key === ROOT ? nothing : html`<button type="button" class="button secondary" @click=${() => this.#closeForm(key)}>${t.cancel}</button>`}
      </div>
    </form>`;
  }

  // ---- helpers -------------------------------------------------------------------------------

  #call<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return request<T>(serverOrigin(this.server), path, options);
  }

  get #thread(): CommentThread | undefined {
    return this.#task.status === TaskStatus.COMPLETE ? this.#task.value : undefined;
  }

  #setForm(key: string, state: FormState): void {
    this.forms = { ...this.forms, [key]: state };
  }

  async #announce(message: string): Promise<void> {
    // Clearing first makes screen readers repeat a message that is the same as the last one.
    this.announcement = '';
    await this.updateComplete;
    this.announcement = message;
  }

  async #focusOn(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  /** The message for a failed edit, delete or like. */
  #failure(t: Translation, error: unknown): string {
    const code = (error as ApiError).code;
    return code === 'forbidden' ? t.forbidden : code === 'edit_window_closed' ? t.editWindowClosed : (error as Error).message;
  }

  // ---- forms -----------------------------------------------------------------------------------

  async #openReply(id: string): Promise<void> {
    this.replyTo = this.replyTo === id ? null : id;
    await this.#focusOn(`#body-${id}`);
  }

  #edit(id: string): void {
    this.editing = id;
    void this.#focusOn(`#body-e${id}`);
  }

  #closeForm(key: string): void {
    const id = key.replace(/^e/, '');
    if (key[0] === 'e') this.editing = null;
    else this.replyTo = null;
    this.#shown.delete(key);
    this.#setForm(key, {});
    delete this.previews[key];
    void this.#focusOn(`#comment-${id} [part~='${key[0] === 'e' ? 'edit' : 'reply'}-button']`);
  }

  async #openReport(id: string): Promise<void> {
    const open = this.reporting !== id;
    this.reporting = open ? id : null;
    this.#setForm(`f${id}`, {});
    await this.#focusOn(open ? `#reason-${id}` : `#comment-${id} [part~='report-button']`);
  }

  /**
   * The site's minimum fill time, fetched the first time a form gets focus: a reader who is quicker
   * than that waits a moment before the comment is sent instead of being refused. Unknown (the
   * request failed): no wait, and the server's answer says what to do.
   */
  readonly #minFill = (): Promise<number> => {
    const key = this.#storeKey;
    let seconds = minFills.get(key);
    if (!seconds) {
      seconds = this.#call<SitePublicSettings>(`/api/sites/${encodeURIComponent(this.#siteId)}`).then(
        (site) => site.minFillSeconds,
        () => 0,
      );
      minFills.set(key, seconds);
    }
    return seconds;
  };

  async #showPreview(key: string, on: boolean): Promise<void> {
    const textarea = this.renderRoot.querySelector<HTMLTextAreaElement>(`#body-${key}`)!;
    const { [key]: _, ...rest } = this.previews;
    if (!on) {
      this.previews = rest;
      await this.#focusOn(`#body-${key}`);
      return;
    }
    const body = textarea.value.trim();
    this.previews = { ...rest, [key]: body ? null : '' };
    if (!body) return;
    let result = '';
    try {
      result = (await this.#call<PreviewResponse>('/api/preview', { body: { site: this.#siteId, body } })).html;
    } catch (error) {
      this.#setForm(key, { message: (error as Error).message });
    }
    if (key in this.previews) this.previews = { ...this.previews, [key]: result };
  }

  async #submit(event: SubmitEvent, key: string, node?: CommentNode): Promise<void> {
    event.preventDefault();
    if (this.forms[key]?.busy) return;
    const form = event.currentTarget as HTMLFormElement;
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    const t = localize(this);
    const edit = key[0] === 'e';
    const name = data.name?.trim() ?? '';
    const email = data.email?.trim() ?? '';
    this.#setForm(key, { busy: true });
    let comment: PostedComment | CommentWithSource;
    try {
      if (edit) {
        comment = await this.#call<CommentWithSource>(`/api/comments/${node!.id}`, {
          method: 'PATCH',
          body: { site: this.#siteId, body: data.body },
          headers: { [EDIT_TOKEN_HEADER]: this.#own[node!.id]?.token ?? '' },
        });
      } else {
        // Measured on this page's monotonic clock only: a reader whose system clock is off is not refused.
        const shown = this.#shown.get(key) ?? performance.now();
        const wait = shown + (await this.#minFill()) * 1000 - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const input: NewCommentInput = {
          site: this.#siteId,
          page: pageIdentity(this.page),
          body: data.body!,
          ...(key !== ROOT ? { parentId: key } : {}),
          ...(name || email ? { author: { ...(name ? { name } : {}), ...(email ? { email } : {}) } } : {}),
          honeypot: data.website ?? '',
          fillMs: Math.ceil(performance.now() - shown),
        };
        comment = await this.#call<PostedComment>('/api/comments', { body: input });
      }
    } catch (error) {
      const fields: FormState['fields'] = {};
      for (const issue of error instanceof ApiError ? error.issues : []) {
        const field = FIELD_OF_PATH[issue.path];
        if (field) fields[field] ??= issue.message;
      }
      const { status, retryAfter } = error as ApiError;
      // The text stays in the form whatever went wrong.
      const message =
        status === 429 && retryAfter ? t.tooFast(retryAfter) : edit ? this.#failure(t, error) : t.postError((error as Error).message);
      this.#setForm(key, { message, fields });
      void this.#announce(message);
      const invalid = (['name', 'email', 'body'] as const).find((field) => fields[field]);
      if (invalid) await this.#focusOn(`#${invalid}-${key}`);
      return;
    }

    this.#setForm(key, {});
    const { [key]: _, ...previews } = this.previews;
    this.previews = previews;
    const { id } = comment;
    if (edit) {
      this.#setOwn(id, { ...this.#own[id]!, body: comment.body });
      Object.assign(node!, { html: comment.html, editedAt: comment.editedAt });
      this.editing = null;
      // An edit that adds a blocked word sends the comment back to the moderators.
      const held = (comment as PostedComment).status === 'pending';
      const newly = held && !(id in this.#held);
      if (newly) this.#thread!.total--;
      if (held) this.#setHeld(id, node);
      void this.#announce(newly ? t.commentPending : t.commentEdited);
      this.dispatchEvent(new ParleyCommentEditedEvent(comment as CommentWithSource));
    } else {
      if (data.remember) save('me', { name, email });
      else save('me', undefined);
      const posted = comment as PostedComment;
      const held = posted.status === 'pending';
      this.#setOwn(id, { token: posted.editToken, body: posted.body, editableUntil: posted.editableUntil });
      this.#posted.add(id);
      this.pending = this.pending.filter((pending) => pending.id !== id);
      this.#shown.delete(key);
      form.querySelector('textarea')!.value = '';
      if (key !== ROOT) this.replyTo = null;
      const { editToken: _token, editableUntil: _until, body: _body, status: _status, message: _message, ...shown } = posted;
      const node: CommentNode = { ...shown, status: 'visible', replies: [] };
      if (held) this.#setHeld(id, node);
      this.#insert(node, held);
      void this.#announce(held ? t.commentPending : t.commentPosted);
      this.dispatchEvent(new ParleyCommentPostedEvent(posted));
    }
    await this.#focusOn(`#comment-${id}`);
  }

  // ---- thread changes --------------------------------------------------------------------------

  /** Adds a comment to the loaded thread (or loads the thread if there is none); one `held` for approval is not counted. */
  #insert(node: CommentNode, held = false): void {
    const thread = this.#thread;
    if (!thread) {
      void this.reload();
      return;
    }
    if (place(thread, node, this.sort) && !held) thread.total++;
    this.requestUpdate();
  }

  async #flag(event: SubmitEvent, id: string): Promise<void> {
    event.preventDefault();
    const key = `f${id}`;
    if (this.forms[key]?.busy) return;
    const t = localize(this);
    const { reason, detail } = Object.fromEntries(new FormData(event.currentTarget as HTMLFormElement)) as Record<string, string>;
    this.#setForm(key, { busy: true });
    let message = t.reported;
    try {
      const body: NewFlag = { reason: reason as FlagReason, ...(detail?.trim() ? { detail } : {}) };
      await this.#call<FlagResult>(`/api/comments/${id}/flag`, { body });
    } catch (error) {
      message = (error as ApiError).code === 'already_flagged' ? t.alreadyReported : '';
      if (!message) {
        message = (error as Error).message;
        this.#setForm(key, { message });
        void this.#announce(message);
        return;
      }
    }
    this.#setForm(key, {});
    this.#setForm(`a${id}`, { message, ok: true });
    this.reporting = null;
    void this.#announce(message);
    await this.#focusOn(`#comment-${id} [part~='report-button']`);
  }

  /** Applies a deletion: a placeholder stays (`deleted`) or the comment goes (`removed`). */
  #applyDelete(id: string, status: DeleteCommentResult['status']): void {
    this.pending = this.pending.filter((pending) => pending.id !== id);
    const thread = this.#thread;
    const path = thread && locate(thread.comments, id);
    if (!path) return;
    const node = path.pop()!;
    if (node.status === 'visible' && !(id in this.#held)) thread.total--;
    if (status === 'deleted') {
      Object.assign(node, { status, html: '', author: { ...node.author, name: null } });
    } else {
      const list = path.length ? path[path.length - 1]!.replies : thread.comments;
      list.splice(list.indexOf(node), 1);
      for (const ancestor of path) ancestor.replyCount--;
    }
    this.requestUpdate();
  }

  readonly #onLive: StreamListener = (type, data) => {
    const thread = this.#thread;
    if (!thread) return;
    if (type === 'comment.deleted') return this.#applyDelete(data.id, (data as DeleteCommentResult).status);
    const comment = data as CommentNode;
    const node = locate(thread.comments, comment.id)?.pop() ?? this.pending.find((pending) => pending.id === comment.id);
    if (node) {
      const { replies } = node;
      Object.assign(node, comment, { replies });
      // The reader's held comment was approved: it is public now.
      if (comment.id in this.#held) {
        this.#setHeld(comment.id);
        thread.total++;
      }
      this.requestUpdate();
    } else if (type === 'comment.created' && !this.#posted.has(comment.id)) {
      this.pending = [...this.pending, { ...comment, replies: [] }];
    }
  };

  #showPending = (): void => {
    const first = this.pending[0];
    for (const node of this.pending) this.#insert(node);
    this.pending = [];
    if (first) void this.#focusOn(`#comment-${first.id}`);
  };

  async #like(node: CommentNode, liked: boolean): Promise<void> {
    const key = `liked:${this.#storeKey}`;
    const set = (on: boolean) => save(key, [...this.#liked.filter((id) => id !== node.id), ...(on ? [node.id] : [])]);
    // Optimistic: flip at once, then take the server's word for both the count and the state.
    const before = node.likes;
    node.likes = Math.max(0, before + (liked ? 1 : -1));
    set(liked);
    this.requestUpdate();
    try {
      const result = await this.#call<LikeResult>(`/api/comments/${node.id}/like`, {
        body: { site: this.#siteId, readerId: readerId(), liked },
      });
      node.likes = result.likes;
      set(result.liked);
    } catch (error) {
      node.likes = before;
      set(!liked);
      this.#setForm(`a${node.id}`, { message: this.#failure(localize(this), error) });
    }
    this.requestUpdate();
  }

  async #deleteComment(node: CommentNode): Promise<void> {
    const t = localize(this);
    const { id } = node;
    try {
      const result = await this.#call<DeleteCommentResult>(`/api/comments/${id}`, {
        method: 'DELETE',
        query: { site: this.#siteId },
        headers: { [EDIT_TOKEN_HEADER]: this.#own[id]?.token ?? '' },
      });
      this.#setOwn(id);
      this.#setForm(`a${id}`, {});
      this.#applyDelete(id, result.status);
      this.#setHeld(id);
      void this.#announce(t.commentDeleted);
      this.dispatchEvent(new ParleyCommentDeletedEvent(id, node.page, result.status));
      await this.#focusOn(result.status === 'deleted' ? `#comment-${id}` : '#heading');
    } catch (error) {
      const message = this.#failure(t, error);
      this.#setForm(`a${id}`, { message });
      void this.#announce(message);
    }
  }

  #toggle(id: string): void {
    const collapsed = new Set(this.collapsed);
    if (!collapsed.delete(id)) collapsed.add(id);
    this.collapsed = collapsed;
  }

  /** Appends the next page of top-level comments. */
  async #more(): Promise<void> {
    const thread = this.#thread;
    if (!thread?.nextCursor) return;
    const next = await this.#call<CommentThread>('/api/comments', {
      query: { site: this.#siteId, page: thread.page, sort: this.sort, cursor: thread.nextCursor, avatars: this.#avatars },
    }).catch(() => undefined);
    if (!next) return;
    merge(thread.comments, next.comments);
    thread.nextCursor = next.nextCursor;
    this.requestUpdate();
  }

  /**
   * Loads the replies of a long branch that did not come with the page. The first request has no
   * cursor and repeats what came with the page, so pages are read until one adds something.
   */
  async #moreReplies(node: CommentNode): Promise<void> {
    const before = descendants(node);
    let cursor = this.#replyCursors.get(node.id);
    do {
      const response = await this.#call<RepliesResponse>(`/api/comments/${node.id}/replies`, {
        query: { site: this.#siteId, cursor: cursor ?? undefined, avatars: this.#avatars },
      }).catch(() => undefined);
      if (!response) break;
      graft(node, response.comments);
      cursor = response.nextCursor;
    } while (cursor && descendants(node) === before);
    this.#replyCursors.set(node.id, cursor ?? null);
    this.requestUpdate();
  }

  /** Scrolls to and highlights the comment `#comment-ID` names, fetching its branch if needed. */
  readonly #onHash = async (): Promise<void> => {
    const id = /^#comment-([\w-]+)$/.exec(location.hash)?.[1];
    const thread = this.#thread;
    if (!id || !thread) return;
    if (!locate(thread.comments, id)) {
      const found = await this.#call<CommentPermalink>(`/api/comments/${id}`, {
        query: { site: this.#siteId, sort: this.sort, avatars: this.#avatars },
      }).catch(() => undefined);
      if (!found || found.page !== thread.page || this.#thread !== thread) return;
      merge(thread.comments, [found.comment]);
    }
    this.highlighted = id;
    await this.updateComplete;
    const article = this.renderRoot.querySelector<HTMLElement>(`#comment-${id}`);
    article?.scrollIntoView({ block: 'center' });
    article?.focus({ preventScroll: true });
  };
}

/** The path from a top-level comment down to `id` (inclusive), or undefined. */
function locate(nodes: CommentNode[], id: string): CommentNode[] | undefined {
  for (const node of nodes) {
    if (node.id === id) return [node];
    const path = locate(node.replies, id);
    if (path) return [node, ...path];
  }
  return undefined;
}

/** Adds `node` to `thread` under its parent (or at the top, by `sort`); false when it is there already or its parent is not. */
function place(thread: CommentThread, node: CommentNode, sort: CommentSort): boolean {
  if (locate(thread.comments, node.id)) return false;
  if (node.parentId) {
    const path = locate(thread.comments, node.parentId);
    if (!path) return false;
    path[path.length - 1]!.replies.push(node);
    for (const ancestor of path) ancestor.replyCount++;
  } else if (sort === 'newest') thread.comments.unshift(node);
  else thread.comments.push(node);
  return true;
}

/** Adds `incoming` nodes to `target`, merging the replies of ones already there. */
function merge(target: CommentNode[], incoming: CommentNode[]): void {
  for (const node of incoming) {
    const existing = target.find((other) => other.id === node.id);
    if (existing) merge(existing.replies, node.replies);
    else target.push(node);
  }
}

/** Adds nodes (nested, pre-order) to the branch `root`, each under its parent (else under `root`), skipping known ones. */
function graft(root: CommentNode, incoming: CommentNode[]): void {
  for (const { replies, ...comment } of incoming) {
    if (!locate([root], comment.id)) (locate([root], comment.parentId ?? '')?.pop() ?? root).replies.push({ ...comment, replies: [] });
    graft(root, replies);
  }
}

/** How many descendants of `node` are loaded. */
function descendants(node: CommentNode): number {
  return node.replies.reduce((sum, reply) => sum + 1 + descendants(reply), 0);
}

/** All descendants of `node` in reading order, each with the name of the comment it answers. */
function flatten(node: CommentNode, anonymous: string): Array<[CommentNode, string]> {
  return node.replies.flatMap((reply): Array<[CommentNode, string]> => [
    [reply, node.author.name || anonymous],
    ...flatten(reply, anonymous),
  ]);
}
