import { LitElement, html, nothing, svg, type TemplateResult } from 'lit';
import type { CommentNode, CommentSort, CommentThread } from '@parley/schema';
import { ApiError, apiUrl, request } from '../../controllers/api-client.ts';
import { clock } from '../../controllers/clock.ts';
import { InViewportController } from '../../controllers/in-viewport.ts';
import type { LiveStreamController } from '../../controllers/live-stream.ts';
import { pageIdentity } from '../../controllers/page-identity.ts';
import { serverOrigin } from '../../controllers/server-origin.ts';
import { takeServerRendered } from '../../controllers/server-rendered.ts';
import { load, save } from '../../controllers/storage.ts';
import { ParleyCommentsLoadedEvent } from '../../events/comments-loaded.ts';
import { localize, type Translation } from '../../i18n/localize.ts';
import { hostStyles } from '../../styles/tokens.ts';
import { identicon } from './identicon.ts';
import { sanitized } from './sanitize.ts';
import { styles } from './comments.styles.ts';
import type { Note, Own, WriterCore } from './context.ts';
import { avatarsOf, heldOf, ownOf, siteOf, storeKeyOf } from './keys.ts';
import { ROOT } from './form-state.ts';
import { descendants, flatten, locate, place } from './thread-tree.ts';
import type { CommentWriter } from './writer.ts';

/**
 * The writing tools' module, for the import that retries a failed load: a computed specifier the
 * bundler does not follow (relative to this module, as every `import()`), so the build puts the
 * chunk's path here (vite.config.ts).
 */
const WRITER = './writer.ts';
/**
 * Failed loads of the writing tools on this page. Each retry asks for a URL not asked before: a
 * failure may be kept for the old one (an error answered with caching headers, or an engine that
 * keeps a failed import failed, as the HTML standard once said), and every element of the page
 * then asks for the one that worked.
 */
let writerFailures = 0;
const SORTS: CommentSort[] = ['oldest', 'newest', 'top'];
/** A comment held for approval is shown to its author for a week at most (then it was most likely rejected). */
const HELD_MS = 7 * 864e5;
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
 * @csspart counter - "9,500 / 10,000" under a textarea once a comment nears the length limit.
 * @csspart notify - The "Email me when someone replies" checkbox (shown once an email is given) with its label.
 * @csspart confirm-delete - The "Delete this comment?" question under a comment's actions.
 * @csspart confirm-delete-button - The button that confirms the deletion.
 * @csspart error - The load-error box with its Retry button: the thread's, or (under the form) the writing tools'.
 * @csspart error-detail - Why the thread did not load (the server's message, or that it could not be reached).
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

  /**
   * The reactive properties (`state`: internal) of the fields below: a table, not decorators,
   * whose compiled helper would be part of the first load.
   */
  static override properties = {
    notes: { state: true },
    announcement: { state: true },
    pending: { state: true },
    collapsed: { state: true },
    highlighted: { state: true },
    page: {},
    site: {},
    server: {},
    heading: {},
    labelName: { attribute: 'label-name' },
    labelComment: { attribute: 'label-comment' },
    labelSubmit: { attribute: 'label-submit' },
    loading: {},
    sort: {},
    maxDepth: { attribute: 'max-depth', type: Number },
    avatars: {},
    noAvatars: { attribute: 'no-avatars', type: Boolean },
    noLive: { attribute: 'no-live', type: Boolean },
    theme: { reflect: true },
  };

  readonly #viewport = new InViewportController(this);

  /** The thread as loaded (and changed since), while no newer load is under way. */
  #thread?: CommentThread;
  /** Why the last load failed. */
  #error?: ApiError;
  /** The arguments of the last load (to see them change) and the way to abort it. */
  #loaded?: string;
  #abort?: AbortController;
  /** What the storage says of each comment (own, held, liked), read once per render, not once per comment. */
  #marks!: { own: Record<string, Own>; held: Record<string, CommentNode>; liked: string[] };
  /**
   * The server-rendered form (`GET /render/comments`): shown, slotted, in place of the placeholder
   * until the writing tools take over, so hydration keeps every field the reader saw and typed in.
   */
  #ssrForm?: HTMLFormElement | null;

  /** The live stream, from a chunk of its own loaded once a shown thread wants it (not with `no-live`). */
  #live?: LiveStreamController;
  #liveLoad?: Promise<void>;

  // notes, announcement and pending are also changed by the writing tools (context.ts: SharedState).
  /** Per comment: the line under its actions (a failed like or delete, a report taken). */
  private notes: Record<string, Note> = {};
  /** Text of the polite live region. */
  private announcement = '';
  /** Comments other readers posted since the thread loaded, waiting behind the banner. */
  private pending: CommentNode[] = [];
  /** Ids of branches whose replies are hidden. */
  private collapsed = new Set<string>();
  /** The comment `#comment-ID` points at. */
  private highlighted = '';

  /** The page the thread belongs to; defaults to the canonical link's path, else `location.pathname`. */
  page = '';
  /** The site id configured on the server. */
  site = '';
  /** The Parley server's base URL; defaults to the origin `embed.js` was loaded from. */
  server = '';
  /** The section's heading text; defaults to "Leave a Comment" in the page's language. */
  heading = '';
  /** Overrides the label of the name field. */
  labelName = '';
  /** Overrides the label of the comment textarea. */
  labelComment = '';
  /** Overrides the text of the top form's submit button. */
  labelSubmit = '';
  /** `lazy` loads the thread when it nears the viewport; `eager` loads it at once. */
  loading: 'lazy' | 'eager' = 'lazy';
  /** Order of top-level comments: `oldest` (default), `newest` or `top` (most liked). */
  sort: CommentSort = 'oldest';
  /** Reply levels indented; deeper replies stay at the last level and say whom they answer. */
  maxDepth = 4;
  /** `gravatar` shows Gravatar images for authors who gave an email (a request to gravatar.com); default: identicons drawn here. */
  avatars = '';
  /** Hides avatars. */
  noAvatars = false;
  /** Turns off live updates (no `EventSource`). */
  noLive = false;
  /** `light`, `dark`, or `auto` (follows the page's colour scheme). */
  theme: 'light' | 'dark' | 'auto' = 'auto';

  #dispatched?: CommentThread;
  /** Ids posted from this element: their live `comment.created` is not news. */
  readonly #posted = new Set<string>();
  /** Cursors of branches whose remaining replies were asked for (`null`: none left). */
  readonly #replyCursors = new Map<string, string | null>();
  #stopTimer?: () => void;
  /** The writing tools (forms, preview, edit, delete, report), once the reader first reached for them. */
  #writer?: CommentWriter;
  #writerLoad?: Promise<CommentWriter>;
  /** The writing tools' chunk failed to load: the form says so, and the next interaction asks again. */
  #writerFailed?: boolean;
  /** When the top form was first drawn (before the writing tools took it over). */
  #composerShown?: number;
  /** The last load error told to the console (once per failure, not per render). */
  #warned?: unknown;

  get #liked(): string[] {
    return load<string[]>(`liked:${storeKeyOf(this)}`, []);
  }

  /** Loads the thread again (also when it has not come into view yet). */
  reload(): Promise<void> {
    this.#viewport.visible = true;
    return this.#load();
  }

  /** What the thread depends on: a change loads it again, before the next render. */
  #args() {
    return [serverOrigin(this.server), siteOf(this), pageIdentity(this.page), this.sort, avatarsOf(this), this.loading === 'eager' || this.#viewport.visible] as const;
  }

  /**
   * Loads the thread — the server-rendered first page when the element has one (then at once, in
   * this update) — and aborts an older load; a load a newer one outdated changes nothing. Not
   * visible yet (`loading="lazy"`), it only clears. What `@lit/task` would do, in fewer bytes.
   */
  async #load(): Promise<void> {
    const args = this.#args();
    const [server, site, page, sort, avatars, visible] = args;
    this.#loaded = JSON.stringify(args);
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.#thread = this.#error = undefined;
    this.requestUpdate();
    if (!visible) return;
    this.pending = [];
    try {
      const thread =
        takeServerRendered<CommentThread>(this, 'data-parley-first-page', (t, readWith) => t.site === site && t.page === page && t.sort === sort && (readWith || undefined) === avatars) ??
        (await request(server, 'GET /api/comments', { query: { site, page, sort, avatars }, signal: abort.signal }));
      // The reader's comments awaiting approval are in no public list: add them from storage until they appear there.
      const held = heldOf(this);
      for (const id in held) {
        const node = held[id]!;
        if (locate(thread.comments, id) || Date.parse(node.createdAt) < clock.now() - HELD_MS) delete held[id];
        else if (node.page === thread.page) place(thread, { ...node, replies: [] }, sort);
      }
      save(`held:${storeKeyOf(this)}`, held);
      if (abort === this.#abort) this.#thread = thread;
    } catch (error) {
      if (abort === this.#abort) this.#error = error as ApiError;
    }
    this.requestUpdate();
  }

  protected override willUpdate(): void {
    if (JSON.stringify(this.#args()) !== this.#loaded) void this.#load();
    // A thread about to be shown for the first time: what it changes (the highlighted permalink)
    // is set here, so it is drawn in this update; set in updated(), it would take a second one.
    const thread = this.#thread;
    if (thread && thread !== this.#dispatched) {
      this.#dispatched = thread;
      this.#replyCursors.clear();
      void this.#onHash();
      void this.updateComplete.then(() => this.dispatchEvent(new ParleyCommentsLoadedEvent(thread)));
    }
  }

  override connectedCallback(): void {
    // Before the shadow root hides the server's markup: its form becomes a child the shadow root
    // slots (the same nodes, with what was typed in them, styled by the server's light-DOM sheet).
    // Moving it blurs a field the reader was in: it gets the focus back.
    const form = this.querySelector<HTMLFormElement>(':scope>section>form');
    if (form) {
      const focused = document.activeElement as HTMLElement;
      form.slot = 'form';
      this.append((this.#ssrForm = form));
      if (form.contains(focused)) focused.focus();
    }
    super.connectedCallback();
    // Relative times and the edit window move on: re-render every minute.
    this.#stopTimer = clock.every(60_000, () => this.requestUpdate());
    addEventListener('hashchange', this.#onHash);
    void this.#onHash();
    // A reconnected element re-subscribes to the live stream in updated().
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopTimer?.();
    removeEventListener('hashchange', this.#onHash);
  }

  protected override updated(): void {
    const thread = this.#thread;
    const stream =
      thread && this.isConnected && !this.noLive
        ? apiUrl(serverOrigin(this.server), '/api/stream', { site: siteOf(this), page: pageIdentity(this.page) })
        : null;
    if (stream && !this.#live) {
      // Loaded after the thread is on screen; the next update (requested when it arrives) follows the stream.
      this.#liveLoad ??= import('../../controllers/live-stream.ts').then(({ LiveStreamController }) => {
        this.#live = new LiveStreamController(this, (type, data) => void this.#write((w) => w.live(type, data)));
        this.requestUpdate();
      }, (error: unknown) => console.warn('Parley: live updates could not be loaded.', error));
    }
    this.#live?.follow(stream);
    this.#warn();
  }

  protected override render(): TemplateResult {
    const t = localize(this);
    const thread = this.#thread;
    const error = this.#error;
    return html`
      <section aria-labelledby="heading" aria-busy=${!thread && !error} dir=${t.$dir}>
        <h2 id="heading" part="heading" tabindex="-1">${this.heading || t.commentsHeading}</h2>
        ${this.#writer ? this.#writer.renderForm(t, ROOT) : this.#renderComposer(t)}
        <div class="thread">
          ${thread
            ? this.#renderThread(t, thread)
            : error
              ? this.#renderError(t, t.loadCommentsError, () => this.reload(), html`<p class="muted" part="error-detail">${error.status ? error.message : t.serverUnreachable}</p>`)
              : html`<p class="loading muted">${t.loading}</p>`}
        </div>
        <div role="status" class="visually-hidden">${this.announcement}</div>
      </section>
    `;
  }

  /** What did not load (the thread, with why; or the writing tools), and a Retry button. */
  #renderError(t: Translation, message: string, retry: () => unknown, detail?: TemplateResult): TemplateResult {
    return html`<div class="load-error" part="error">
      <p class="error">${message}</p>
      ${detail}
      <button type="button" class="button secondary" @click=${retry}>${t.retry}</button>
    </div>`;
  }

  #renderThread(t: Translation, thread: CommentThread): TemplateResult {
    const count = this.pending.length;
    const marks = (this.#marks = { own: ownOf(this), held: heldOf(this), liked: this.#liked });
    // The reader's own comments waiting for approval are in the list but not in `total`.
    const { held } = marks;
    const heldShown = thread.total ? 0 : thread.comments.filter((node) => node.id in held).length;
    return html`${thread.comments.length
        ? html`<div class="toolbar">
            <h3 class="count" part="count">${heldShown ? t.yourPending(heldShown) : t.commentCount(thread.total)}</h3>
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
        ${count ? html`<button type="button" class="button secondary" part="banner" @click=${() => this.#write((w) => w.showPending())}>${t.newComments(count)}</button>` : nothing}
      </div>
      ${thread.comments.length ? html`<ol class="comments">${thread.comments.map((node) => this.#renderComment(t, node, 1))}</ol>` : nothing}
      ${thread.nextCursor
        ? html`<button type="button" class="button secondary" part="more-button" @click=${() => this.#write((w) => w.more())}>${t.moreComments}</button>`
        : nothing}`;
  }

  /** One comment in its `<li>`; `parentName` and `leaf` for the flat descendants past `max-depth`. */
  #renderComment(t: Translation, node: CommentNode, depth: number, parentName?: string, leaf = false): TemplateResult {
    const { id } = node;
    const name = node.author.name || t.anonymous;
    const date = new Date(node.createdAt);
    const writer = this.#writer;
    const open = writer?.replyTo === id;
    const deleted = node.status === 'deleted';
    const { own: owned, held: heldAll, liked: likedAll } = this.#marks;
    const own = owned[id];
    const editable = !deleted && own && Date.parse(own.editableUntil) > clock.now();
    const held = id in heldAll;
    const liked = likedAll.includes(id);
    const collapsed = this.collapsed.has(id);
    const present = descendants(node);
    const cursor = this.#replyCursors.get(id);
    const note = this.notes[id];
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
            : avatarsOf(this) && /^[0-9a-f]{64}$/.test(node.author.gravatar ?? '')
              ? html`<img
                  part="avatar"
                  class="avatar"
                  alt=""
                  src="https://www.gravatar.com/avatar/${node.author.gravatar}?d=identicon&s=64"
                  referrerpolicy="no-referrer"
                  loading="lazy"
                />`
              : html`<span part="avatar" class="avatar">${identicon(node.author.avatar)}</span>`}
          <span class="author" part="author" id="author-${id}" dir="auto">${deleted ? t.deleted : name}</span>
          ${parentName ? html`<span class="muted" part="in-reply-to">${t.inReplyTo(parentName)}</span>` : nothing}
          <a href="#comment-${id}" part="permalink"
            ><time part="time" datetime=${node.createdAt} title=${t.dateTime(date)}>${t.relativeTime(date, new Date(clock.now()))}</time></a
          >
          ${node.editedAt && !deleted ? html`<span class="muted" part="edited">${t.edited}</span>` : nothing}
          ${held ? html`<span class="badge" part="pending-badge">${t.pendingBadge}</span>` : nothing}
        </header>
        ${deleted
          ? nothing
          : writer?.editing === id
            ? writer.renderForm(t, `e${id}`, node)
            : html`<div class="body" part="body" dir="auto">${sanitized(node, node.html)}</div>
                <div class="actions" part="actions">
                  ${held
                    ? nothing
                    : html`<button
                          type="button"
                          class="link-button like"
                          part="like-button"
                          aria-pressed=${liked}
                          @click=${() => this.#write((w) => w.like(node, !liked))}
                        >
                          ${HEART}<span class="visually-hidden">${t.like}</span> ${node.likes}
                        </button>
                        <button
                          type="button"
                          class="link-button"
                          part="reply-button"
                          aria-expanded=${open}
                          aria-label=${t.replyTo(name)}
                          @click=${() => this.#write((w) => w.openReply(id))}
                        >
                          ${t.reply}
                        </button>
                        ${own
                          ? nothing
                          : html`<button
                              type="button"
                              class="link-button"
                              part="report-button"
                              aria-expanded=${writer?.reporting === id}
                              @click=${() => this.#write((w) => w.openReport(id))}
                            >
                              ${t.report}
                            </button>`}`}
                  ${editable
                    ? html`<button type="button" class="link-button" part="edit-button" @click=${() => this.#write((w) => w.edit(id))}>
                          ${t.edit}
                        </button>
                        <button
                          type="button"
                          class="link-button"
                          part="delete-button"
                          aria-expanded=${writer?.confirming === id}
                          @click=${() => this.#write((w) => w.askDelete(id))}
                        >
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
                ${writer?.renderUnder(t, node) ?? nothing}
                ${note ? html`<p class=${note.ok ? '' : 'error'} part=${note.ok ? 'note' : 'form-error'}>${note.message}</p>` : nothing}`}
      </article>
      ${open ? writer.renderForm(t, id, node, name) : nothing}
      ${node.replies.length && !leaf
        ? html`<ol class=${flat ? 'replies flat' : 'replies'} id="replies-${id}" ?hidden=${collapsed}>
            ${flat
              ? flatten(node, t.anonymous).map(([reply, to]) => this.#renderComment(t, reply, depth, to, true))
              : node.replies.map((reply) => this.#renderComment(t, reply, depth + 1))}
          </ol>`
        : nothing}
      ${depth === 1 && node.replyCount > present && cursor !== null && !collapsed
        ? html`<button type="button" class="link-button more-replies" part="more-replies-button" @click=${() => this.#write((w) => w.moreReplies(node))}>
            ${t.moreReplies(node.replyCount - present)}
          </button>`
        : nothing}
    </li>`;
  }

  /**
   * The top form as it looks before the writing tools have loaded, no behaviour: the server's
   * form, slotted, on a server-rendered page; else the comment's label, textarea and submit button
   * (the name and email fields come with the tools, below the textarea, so nothing the reader is
   * using moves). Reaching for it (pointer, focus, a key, submit) loads the tools; they take over
   * its values and focus.
   */
  #renderComposer(t: Translation): TemplateResult {
    this.#composerShown ??= performance.now();
    const wake = () => void this.#write();
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      // Without the tools the server's form still posts, as it does without script.
      void this.#write(() => this.renderRoot.querySelector<HTMLFormElement>(`#body-${ROOT}`)?.form?.requestSubmit()).then(() => this.#writer || this.#ssrForm?.submit());
    };
    // One set of listeners for the server's form (its events pass the slot) and the placeholder;
    // any interaction there asks for the tools again, the Retry button's too.
    return html`<div @pointerdown=${wake} @focusin=${wake} @keydown=${wake} @submit=${submit}>
      ${this.#ssrForm
        ? html`<slot name="form"></slot>`
        : html`<form part="form" class="form composer" aria-label=${t.commentsHeading}>
            <div class="field">
              <label for="body-${ROOT}">${this.labelComment || t.bodyLabel}</label>
              <textarea id="body-${ROOT}" name="body" part="textarea" dir="auto" rows="4" required></textarea>
            </div>
            <div class="actions"><button type="submit" class="button" part="submit">${this.labelSubmit || t.submit}</button></div>
          </form>`}
      ${this.#writerFailed ? this.#renderError(t, t.writerError, wake) : nothing}
    </div>`;
  }

  /** Runs `then` with the writing tools, loading them (a separate chunk) the first time. */
  #write<T>(then?: (writer: CommentWriter) => T): Promise<T | undefined> {
    if (this.#writer) return Promise.resolve(then?.(this.#writer));
    this.#writerLoad ??= (
      writerFailures ? (import(/* @vite-ignore */ `${WRITER}?${writerFailures}`) as Promise<typeof import('./writer.ts')>) : import('./writer.ts')
    ).then(
      async ({ CommentWriter, takeOver }) => {
        const writer = new CommentWriter(this.#core);
        await takeOver(this, () => (this.#writer = writer));
        return writer;
      },
      (error: unknown) => {
        this.#writerLoad = undefined;
        writerFailures++;
        this.#writerFailed = true;
        // Said on the form and in the polite live region (a change of it renders); the site owner gets the reason.
        console.warn('Parley:', (this.announcement = localize(this).writerError), error);
        throw error;
      },
    );
    return this.#writerLoad.then(then, () => undefined);
  }

  /** What the writing tools see of this element besides its public members (they derive the rest: keys.ts). */
  readonly #core: WriterCore = {
    element: this,
    replyCursors: this.#replyCursors,
    thread: () => this.#thread,
    composerShown: () => this.#composerShown,
    posted: this.#posted,
  };

  /**
   * Tells the console why the thread did not load, once per failure: the widget can only say
   * "could not be loaded", the site owner needs the server's code and message (or the hint that
   * no answer could be read, which is also what a missing CORS header looks like).
   */
  #warn(): void {
    const error = this.#error;
    if (!error || error === this.#warned) return;
    this.#warned = error;
    // One template for both cases (fewer bytes in the first load): the status and code, or the CORS hint.
    console.warn(
      `Parley: GET ${apiUrl(serverOrigin(this.server), '/api/comments', { site: siteOf(this), page: pageIdentity(this.page) })} ${
        error.status ? `answered ${error.status} ${error.code}` : "got no readable answer (server unreachable, or CORS: add this page's origin to the site's origins)"
      }: ${error.message}`,
    );
  }

  // ---- helpers -------------------------------------------------------------------------------

  #toggle(id: string): void {
    const collapsed = new Set(this.collapsed);
    if (!collapsed.delete(id)) collapsed.add(id);
    this.collapsed = collapsed;
  }

  /**
   * Scrolls to and highlights the comment `#comment-ID` names, fetching its branch if needed. A
   * lazy element far down the page loads its thread for it first: a permalink must not wait for
   * the reader to scroll (the load then calls this again).
   */
  readonly #onHash = async (): Promise<void> => {
    const id = /^#comment-([\w-]+)$/.exec(location.hash)?.[1];
    if (id && !this.#viewport.visible) {
      this.#viewport.visible = true;
      this.requestUpdate();
    }
    const thread = this.#thread;
    if (!id || !thread) return;
    // A comment past the loaded pages: the writing tools' chunk fetches its branch (a rare path).
    if (!locate(thread.comments, id) && !(await this.#write((w) => w.fetchComment(id)))) return;
    this.highlighted = id;
    await this.updateComplete;
    const article = this.renderRoot.querySelector<HTMLElement>(`#comment-${id}`);
    article?.scrollIntoView({ block: 'center' });
    article?.focus({ preventScroll: true });
  };
}
