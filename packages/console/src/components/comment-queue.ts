import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { COMMENT_BODY_MAX_LENGTH } from '@parley/schema/limits';
import { canModerate } from '@parley/schema/lifecycle';
import { ApiError, type AdminApi } from '../api.ts';
import { formatDateTime, formatRelative, plural } from '../format.ts';
import { baseStyles } from '../styles/tokens.ts';
import type { AdminBulkAction, AdminComment, ModerationAction, QueueStatus } from '../types.ts';

const PAGE_SIZE = 25;
/** Most ids the server takes in one bulk request; larger selections go in several. */
const BULK_CHUNK = 200;

/** How the live region reports a bulk action: `${BULK_DONE.spam(3 comments)}`. */
const BULK_DONE: Record<AdminBulkAction, (what: string) => string> = {
  approve: (what) => `Approved ${what}`,
  reject: (what) => `Rejected ${what}`,
  spam: (what) => `Marked ${what} as spam`,
  delete: (what) => `Deleted ${what}`,
  restore: (what) => `Restored ${what}`,
};

const BULK_BUTTONS: Array<[AdminBulkAction, string, string]> = [
  ['approve', 'Approve', ''],
  ['reject', 'Reject', 'secondary'],
  ['spam', 'Spam', 'secondary'],
  ['delete', 'Delete', 'danger'],
];

/** Ban durations offered, in hours; 0 is permanent. */
const BAN_DURATIONS: Array<[hours: number, label: string]> = [
  [24, '1 day'],
  [24 * 7, '7 days'],
  [24 * 30, '30 days'],
  [0, 'Permanent'],
];

const STATUS_FILTERS: Array<[QueueStatus, string]> = [
  ['all', 'Any status'],
  ['visible', 'Published'],
  ['pending', 'Pending'],
  ['flagged', 'Flagged'],
  ['spam', 'Spam'],
  ['rejected', 'Rejected'],
  ['deleted', 'Deleted (placeholders)'],
];

const PAST_TENSE: Record<ModerationAction | 'delete' | 'edit' | 'lock' | 'unlock' | 'ban', string> = {
  approve: 'Approved',
  reject: 'Rejected',
  spam: 'Marked as spam',
  restore: 'Restored',
  pin: 'Pinned',
  unpin: 'Unpinned',
  delete: 'Deleted',
  edit: 'Saved the edit of',
  lock: 'Locked the thread of',
  unlock: 'Unlocked the thread of',
  ban: 'Banned the author of',
};

/**
 * @summary One moderation queue (pending, flagged, spam) or the searchable list of all comments.
 * Reader content — names, emails, pages, bodies — is hostile: it is only ever bound as text.
 * Keyboard: Tab reaches every action; `j`/`k` move between rows; on a row, `a` approves,
 * `s` marks spam, `d` deletes, `e` edits, `x` selects it for the bulk toolbar (approve, reject,
 * spam or delete every selected comment at once).
 */
@customElement('parley-console-queue')
export class ConsoleQueue extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.75rem;
        margin-bottom: 1rem;
      }
      .toolbar .field {
        display: grid;
        gap: 0.25rem;
        flex: 1 1 10rem;
      }
      .toolbar .field.narrow {
        flex: 0 1 9rem;
      }
      .summary {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: 1rem;
        margin: 0 0 0.75rem;
        font-size: 0.875rem;
      }
      kbd {
        font: 0.75rem/1 ui-monospace, SFMono-Regular, Menlo, monospace;
        padding: 0.15em 0.4em;
        border: 1px solid var(--_border);
        border-bottom-width: 2px;
        border-radius: 4px;
        background: var(--_surface);
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.75rem;
      }
      .row {
        padding: 1rem 1.25rem;
        display: grid;
        gap: 0.6rem;
        border-inline-start: 4px solid var(--_border);
      }
      .row:focus {
        outline: none;
      }
      .row:focus-visible,
      .row.current {
        border-inline-start-color: var(--_accent);
      }
      .row:focus-visible {
        box-shadow: 0 0 0 2px var(--_accent);
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0.25rem 0.75rem;
        font-size: 0.875rem;
      }
      .author {
        font-weight: 700;
        font-size: 1rem;
        overflow-wrap: anywhere;
      }
      .email,
      .page {
        color: var(--_muted);
        overflow-wrap: anywhere;
      }
      .page {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.8125rem;
      }
      .body {
        margin: 0;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        max-height: 16rem;
        overflow: auto;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .actions .spacer {
        flex: 1;
      }
      .inline-form {
        display: grid;
        gap: 0.5rem;
        padding: 0.75rem;
        background: var(--_surface);
        border-radius: var(--_radius);
      }
      .inline-form textarea {
        width: 100%;
        min-height: 7rem;
        resize: vertical;
      }
      fieldset {
        border: 0;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        align-items: center;
      }
      legend {
        font-weight: 600;
        font-size: 0.875rem;
        padding: 0;
        margin-bottom: 0.25rem;
      }
      fieldset label {
        font-weight: 400;
      }
      .empty {
        padding: 2.5rem 1rem;
        text-align: center;
      }
      .more {
        margin-top: 1rem;
        text-align: center;
      }
      .bulk {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 0.75rem;
        margin: 0 0 0.75rem;
        padding: 0.5rem 0.75rem;
        background: var(--_surface);
        border-radius: var(--_radius);
      }
      .bulk label {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        font-weight: 400;
      }
      .bulk .count {
        font-weight: 600;
        margin-inline-end: auto;
      }
      .bulk .confirm {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        flex-basis: 100%;
      }
      .select {
        display: inline-flex;
        align-items: center;
      }
      .select input,
      .bulk input[type='checkbox'] {
        width: 1.1rem;
        height: 1.1rem;
        margin: 0;
      }
      [role='alert']:empty {
        display: none;
      }
    `,
  ];

  /** The console's API client. */
  @property({ attribute: false }) api!: AdminApi;
  /** The site whose comments are listed. */
  @property() site = 'default';
  /** Which queue: `pending`, `flagged`, `spam`, or `all` (adds the search form). */
  @property() status: QueueStatus = 'pending';
  /** The heading read out for the list. */
  @property() heading = '';
  /** Shows only this comment (any status, any queue): the deep link `/admin/comments/<id>`. */
  @property({ attribute: 'comment-id' }) commentId = '';

  @state() private comments: AdminComment[] = [];
  @state() private nextCursor: string | null = null;
  @state() private loading = false;
  @state() private loadError = '';
  @state() private actionError = '';
  /** Index of the row `j`/`k` and the shortcuts act on. */
  @state() private current = 0;
  @state() private editing: string | undefined;
  @state() private banning: string | undefined;
  /** Comments with an action in flight (actions on other rows may run meanwhile). */
  @state() private busy = new Set<string>();
  /** Locked pages of the site (`GET /api/admin/threads`). */
  @state() private lockedPages = new Set<string>();
  /** Ids ticked for the bulk toolbar (only rows still listed). */
  @state() private selected = new Set<string>();
  /** A bulk action is in flight. */
  @state() private bulkBusy = false;
  /** "Delete selected" asks first: the confirmation is showing. */
  @state() private confirmingDelete = false;
  /** The polite live region's text. */
  @state() private announcement = '';
  /** The filter of the All view. */
  @state() private filter: { status: QueueStatus; q: string; author: string; page: string } = { status: 'all', q: '', author: '', page: '' };

  #abort: AbortController | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('site') || changed.has('status') || changed.has('commentId')) {
      this.editing = undefined;
      this.banning = undefined;
      this.current = 0;
      void this.load();
    }
  }

  /** Reloads the first page; `keepFocus` puts focus back on the row at the current index. */
  async load(options: { append?: boolean; keepFocus?: boolean } = {}): Promise<void> {
    if (!this.api) return;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.loading = true;
    this.loadError = '';
    const searching = this.status === 'all' && !this.commentId;
    try {
      if (this.commentId) await this.loadOne(this.commentId, abort.signal);
      else {
        const page = await this.api.comments(
          {
            site: this.site,
            status: searching ? this.filter.status : this.status,
            limit: PAGE_SIZE,
            cursor: options.append ? this.nextCursor : null,
            ...(searching ? { q: this.filter.q, author: this.filter.author, page: this.filter.page } : {}),
          },
          abort.signal,
        );
        this.comments = options.append ? [...this.comments, ...page.comments] : page.comments;
        this.lockedPages = await this.api.lockedThreads(this.site, abort.signal).then(
          (threads) => new Set(threads.map((thread) => thread.page)),
          () => this.lockedPages,
        );
        this.nextCursor = page.nextCursor ?? null;
        this.pruneSelection();
        this.current = Math.min(this.current, Math.max(0, this.comments.length - 1));
      }
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      this.loadError = error instanceof ApiError ? error.message : 'The comments could not be loaded.';
      this.comments = [];
      this.nextCursor = null;
      this.pruneSelection();
    } finally {
      if (this.#abort === abort) this.loading = false;
    }
    if (options.keepFocus) {
      await this.updateComplete;
      this.focusRow(this.current);
    }
  }

  /** The single comment of the deep link; gone (404) shows the empty state, not an error. */
  private async loadOne(id: string, signal: AbortSignal): Promise<void> {
    let comment: AdminComment | undefined;
    try {
      comment = await this.api.comment(id, signal);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    this.comments = comment ? [comment] : [];
    this.nextCursor = null;
    this.pruneSelection();
    this.current = 0;
    const site = comment?.site ?? this.site;
    this.lockedPages = await this.api.lockedThreads(site, signal).then(
      (threads) => new Set(threads.map((thread) => thread.page)),
      () => this.lockedPages,
    );
  }

  override render() {
    return html`
      ${this.status === 'all' && !this.commentId ? this.renderSearch() : nothing}
      <div class="summary">
        <span class="muted" aria-live="polite">${this.loading ? 'Loading…' : this.loadError || this.commentId ? '' : this.countText()}</span>
        <span class="muted" id="shortcuts">
          Shortcuts: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>a</kbd> approve, <kbd>s</kbd> spam, <kbd>d</kbd> delete, <kbd>e</kbd> edit, <kbd>x</kbd> select
        </span>
      </div>
      ${this.commentId || this.comments.length === 0 ? nothing : this.renderBulk()}
      <p class="error" role="alert">${this.loadError || this.actionError}</p>
      <div class="visually-hidden" role="status">${this.announcement}</div>
      ${this.comments.length === 0 && !this.loading && !this.loadError
        ? html`<div class="card empty muted">${this.emptyText()}</div>`
        : html`<ol aria-label=${this.heading || 'Comments'} @keydown=${this.onKeydown}>
            ${this.comments.map((comment, index) => this.renderRow(comment, index))}
          </ol>`}
      ${this.nextCursor
        ? html`<div class="more"><button class="button secondary" type="button" ?disabled=${this.loading} @click=${() => this.load({ append: true })}>Load more</button></div>`
        : nothing}
    `;
  }

  private renderSearch() {
    const update = (key: keyof ConsoleQueue['filter']) => (event: Event) => {
      this.filter = { ...this.filter, [key]: (event.target as HTMLInputElement).value };
    };
    return html`
      <form class="toolbar" role="search" aria-label="Search comments" @submit=${this.search}>
        <div class="field">
          <label for="q">Text</label>
          <input id="q" type="search" .value=${this.filter.q} @input=${update('q')} placeholder="Words in the comment" />
        </div>
        <div class="field">
          <label for="author">Author</label>
          <input id="author" type="search" .value=${this.filter.author} @input=${update('author')} placeholder="Name or email" />
        </div>
        <div class="field">
          <label for="page">Page</label>
          <input id="page" type="search" .value=${this.filter.page} @input=${update('page')} placeholder="/path/of/page" />
        </div>
        <div class="field narrow">
          <label for="status">Status</label>
          <select id="status" .value=${this.filter.status} @change=${update('status')}>
            ${STATUS_FILTERS.map(([value, label]) => html`<option value=${value} ?selected=${value === this.filter.status}>${label}</option>`)}
          </select>
        </div>
        <button class="button" type="submit">Search</button>
      </form>
    `;
  }

  private renderRow(comment: AdminComment, index: number) {
    const name = comment.author.name || 'Anonymous';
    const busy = this.busy.has(comment.id);
    const locked = this.lockedPages.has(comment.page);
    const labelId = `author-${comment.id}`;
    return html`
      <li
        class="row card ${index === this.current ? 'current' : ''}"
        tabindex=${index === this.current ? 0 : -1}
        data-id=${comment.id}
        aria-labelledby=${labelId}
        aria-describedby="shortcuts"
        aria-busy=${busy ? 'true' : 'false'}
        @focusin=${() => (this.current = index)}
      >
        <div class="meta">
          ${this.commentId
            ? nothing
            : html`<span class="select"
                ><input
                  type="checkbox"
                  data-select
                  aria-label=${`Select the comment by ${name}: ${excerpt(comment.body)}`}
                  .checked=${this.selected.has(comment.id)}
                  ?disabled=${this.bulkBusy}
                  @change=${(event: Event) => this.setSelected(comment.id, (event.target as HTMLInputElement).checked)}
              /></span>`}
          <span class="author" id=${labelId}>${name}</span>
          ${comment.author.email ? html`<span class="email">${comment.author.email}</span>` : nothing}
          ${comment.ipHash ? html`<span class="muted" title="First characters of the salted IP hash">IP #${comment.ipHash}</span>` : nothing}
          <time datetime=${comment.createdAt} title=${formatDateTime(comment.createdAt)}>${formatRelative(comment.createdAt)}</time>
          ${this.renderBadges(comment, locked)}
        </div>
        <div class="meta"><span class="muted">on</span> <span class="page">${comment.page}</span>${comment.parentId ? html`<span class="muted">(a reply)</span>` : nothing}</div>
        ${this.editing === comment.id ? this.renderEditor(comment) : html`<p class="body">${comment.body}</p>`}
        ${this.banning === comment.id ? this.renderBanForm(comment, name) : nothing}
        <div class="actions" role="group" aria-label=${`Actions for the comment by ${name}`}>${this.renderActions(comment, locked, busy)}</div>
      </li>
    `;
  }

  private renderBulk() {
    const count = this.selected.size;
    const all = count > 0 && this.comments.every((comment) => this.selected.has(comment.id));
    return html`
      <div class="bulk" role="toolbar" aria-label="Bulk actions" aria-busy=${this.bulkBusy ? 'true' : 'false'}>
        <label
          ><input
            type="checkbox"
            data-select-all
            .checked=${all}
            .indeterminate=${count > 0 && !all}
            ?disabled=${this.bulkBusy}
            @change=${(event: Event) => this.selectAll((event.target as HTMLInputElement).checked)}
          />
          Select all on this page</label
        >
        <span class="count" data-count>${count} selected</span>
        ${BULK_BUTTONS.map(
          ([action, label, kind]) =>
            html`<button
              class="button ${kind}"
              type="button"
              data-bulk=${action}
              ?disabled=${count === 0 || this.bulkBusy}
              aria-expanded=${action === 'delete' ? (this.confirmingDelete ? 'true' : 'false') : nothing}
              @click=${() => (action === 'delete' ? this.askDelete() : this.runBulk(action))}
            >
              ${label} selected${count > 0 ? ` (${count})` : ''}
            </button>`,
        )}
        ${this.confirmingDelete && count > 0
          ? html`<div class="confirm" role="group" aria-label="Confirm deletion" @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && this.cancelDelete()}>
              <span>Delete ${plural(count, 'comment')} for good? This cannot be undone.</span>
              <button class="button danger" type="button" data-confirm-delete ?disabled=${this.bulkBusy} @click=${() => this.runBulk('delete')}>Delete ${plural(count, 'comment')}</button>
              <button class="button secondary" type="button" data-cancel-delete @click=${() => this.cancelDelete()}>Cancel</button>
            </div>`
          : nothing}
      </div>
    `;
  }

  private setSelected(id: string, selected: boolean) {
    const next = new Set(this.selected);
    if (selected) next.add(id);
    else next.delete(id);
    this.selected = next;
    if (next.size === 0) this.confirmingDelete = false;
  }

  private selectAll(selected: boolean) {
    this.selected = selected ? new Set(this.comments.map((comment) => comment.id)) : new Set();
    if (!selected) this.confirmingDelete = false;
  }

  /** Keeps only the ticks of rows still listed. */
  private pruneSelection() {
    const listed = new Set(this.comments.map((comment) => comment.id));
    const kept = [...this.selected].filter((id) => listed.has(id));
    if (kept.length !== this.selected.size) this.selected = new Set(kept);
    if (kept.length === 0) this.confirmingDelete = false;
  }

  private async askDelete() {
    this.confirmingDelete = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('[data-confirm-delete]')?.focus();
  }

  private async cancelDelete() {
    this.confirmingDelete = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('[data-bulk="delete"]')?.focus();
  }

  /** Sends the selected ids to `POST /comments/bulk` (in chunks of 200), then reloads and announces the outcome. */
  private async runBulk(action: AdminBulkAction) {
    if (this.bulkBusy || this.selected.size === 0) return;
    // In list order, so results read as the rows do.
    const ids = this.comments.map((comment) => comment.id).filter((id) => this.selected.has(id));
    this.bulkBusy = true;
    this.actionError = '';
    let done = 0;
    const failures: string[] = [];
    try {
      for (let start = 0; start < ids.length; start += BULK_CHUNK) {
        const { results } = await this.api.bulk(this.site, ids.slice(start, start + BULK_CHUNK), action);
        for (const result of results) {
          if (result.ok) done++;
          else failures.push(result.error?.message ?? `Comment ${result.id} failed`);
        }
      }
      this.confirmingDelete = false;
      this.selected = new Set();
      const what = `${BULK_DONE[action](plural(done, 'comment'))}.`;
      this.announcement = failures.length ? `${what} ${plural(failures.length, 'comment')} could not be changed.` : what;
      if (failures.length) this.actionError = `${plural(failures.length, 'comment')} could not be changed: ${failures[0]}${failures.length > 1 ? ' (and more)' : ''}`;
    } catch (error) {
      this.actionError = `Bulk ${action} failed: ${error instanceof ApiError ? error.message : 'the server could not be reached'}${done ? ` (${BULK_DONE[action](plural(done, 'comment'))} first)` : ''}`;
    } finally {
      this.bulkBusy = false;
    }
    await this.load();
  }

  private renderBadges(comment: AdminComment, locked: boolean) {
    const status: Record<string, [string, string]> = {
      pending: ['Pending', 'warn'],
      spam: ['Spam', 'danger'],
      rejected: ['Rejected', 'danger'],
      deleted: ['Deleted', 'danger'],
      visible: ['Published', 'ok'],
    };
    const [label, tone] = status[comment.status] ?? [comment.status, ''];
    return html`
      <span class="badge ${tone}">${label}</span>
      ${comment.flags > 0 ? html`<span class="badge danger">${plural(comment.flags, 'flag')}</span>` : nothing}
      ${comment.pinned ? html`<span class="badge">Pinned</span>` : nothing}
      ${locked ? html`<span class="badge warn">Thread locked</span>` : nothing}
    `;
  }

  private renderActions(comment: AdminComment, locked: boolean, busy: boolean) {
    const button = (action: Parameters<ConsoleQueue['run']>[1], label: string, kind = 'secondary', shortcut?: string) =>
      html`<button class="button ${kind}" type="button" ?disabled=${busy} data-action=${action} aria-keyshortcuts=${shortcut ?? nothing} @click=${() => this.run(comment, action)}>${label}</button>`;
    const { status } = comment;
    // A deleted placeholder has no text or author left: only its thread can still be locked.
    const erased = status === 'deleted';
    return html`
      ${canModerate('approve', status) && (status === 'pending' || status === 'spam') ? button('approve', status === 'spam' ? 'Not spam' : 'Approve', '', 'a') : nothing}
      ${canModerate('approve', status) && status === 'visible' && comment.flags > 0 ? button('approve', 'Keep', '', 'a') : nothing}
      ${canModerate('restore', status) && status === 'rejected' ? button('restore', 'Restore') : nothing}
      ${canModerate('reject', status) ? button('reject', 'Reject') : nothing}
      ${canModerate('spam', status) ? button('spam', 'Spam', 'secondary', 's') : nothing}
      ${!erased ? button('delete', 'Delete', 'danger', 'd') : nothing}
      <span class="spacer"></span>
      ${!erased
        ? html`<button class="button secondary" type="button" ?disabled=${busy} data-action="edit" aria-keyshortcuts="e" aria-expanded=${this.editing === comment.id ? 'true' : 'false'} @click=${() => this.startEdit(comment)}>Edit</button>`
        : nothing}
      ${status === 'visible' && !comment.parentId ? button(comment.pinned ? 'unpin' : 'pin', comment.pinned ? 'Unpin' : 'Pin') : nothing}
      ${button(locked ? 'unlock' : 'lock', locked ? 'Unlock thread' : 'Lock thread')}
      ${!erased
        ? html`<button class="button secondary" type="button" ?disabled=${busy} data-action="ban" aria-expanded=${this.banning === comment.id ? 'true' : 'false'} @click=${() => this.toggleBan(comment)}>Ban author…</button>`
        : nothing}
    `;
  }

  private renderEditor(comment: AdminComment) {
    const id = `edit-${comment.id}`;
    return html`
      <form class="inline-form" @submit=${(event: SubmitEvent) => this.saveEdit(event, comment)} @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && this.cancelEdit(comment)}>
        <label for=${id}>Edit the comment</label>
        <textarea id=${id} name="body" required maxlength=${COMMENT_BODY_MAX_LENGTH} .value=${comment.body}></textarea>
        <div class="actions">
          <button class="button" type="submit" ?disabled=${this.busy.has(comment.id)}>Save</button>
          <button class="button secondary" type="button" @click=${() => this.cancelEdit(comment)}>Cancel</button>
        </div>
      </form>
    `;
  }

  private renderBanForm(comment: AdminComment, name: string) {
    return html`
      <form class="inline-form" aria-label=${`Ban ${name}`} @submit=${(event: SubmitEvent) => this.ban(event, comment)}>
        <fieldset>
          <legend>Ban by</legend>
          <label><input type="radio" name="by" value="email" ?checked=${!!comment.author.email} ?disabled=${!comment.author.email} /> Email${comment.author.email ? '' : ' (none given)'}</label>
          <label><input type="radio" name="by" value="ip" ?checked=${!comment.author.email} ?disabled=${!comment.ipHash} /> IP address${comment.ipHash ? '' : ' (unknown)'}</label>
        </fieldset>
        <div class="actions" style="align-items:center">
          <label for=${`duration-${comment.id}`}>For</label>
          <select id=${`duration-${comment.id}`} name="duration">
            ${BAN_DURATIONS.map(([hours, label]) => html`<option value=${hours} ?selected=${hours === 24 * 7}>${label}</option>`)}
          </select>
          <button class="button" type="submit" ?disabled=${this.busy.has(comment.id)}>Ban</button>
          <button class="button secondary" type="button" @click=${() => this.toggleBan(comment)}>Cancel</button>
        </div>
      </form>
    `;
  }

  private countText(): string {
    const count = plural(this.comments.length, 'comment');
    return this.nextCursor ? `Showing the first ${count}` : count;
  }

  private emptyText(): string {
    if (this.commentId) return 'This comment no longer exists: it was removed, or the link is wrong.';
    switch (this.status) {
      case 'pending':
        return 'Nothing waiting for approval.';
      case 'flagged':
        return 'No flagged comments.';
      case 'spam':
        return 'No spam.';
      default:
        return 'No comments match.';
    }
  }

  private search(event: SubmitEvent) {
    event.preventDefault();
    this.current = 0;
    void this.load();
  }

  /** Runs one action on a comment, then reloads the list and keeps focus in place. */
  private async run(comment: AdminComment, action: ModerationAction | 'delete' | 'lock' | 'unlock') {
    if (this.busy.has(comment.id)) return;
    this.setBusy(comment.id, true);
    this.actionError = '';
    const name = comment.author.name || 'Anonymous';
    try {
      if (action === 'delete') await this.api.remove(comment.id);
      else if (action === 'lock' || action === 'unlock') {
        await this.api.lockThread(comment.site ?? this.site, comment.page, action === 'lock');
      } else await this.api.act(comment.id, action);
      this.announcement = `${PAST_TENSE[action]} the comment by ${name}.`;
      await this.load({ keepFocus: true });
    } catch (error) {
      this.actionError = `${PAST_TENSE[action]} failed: ${error instanceof ApiError ? error.message : 'the server could not be reached'}`;
    } finally {
      this.setBusy(comment.id, false);
    }
  }

  private setBusy(id: string, busy: boolean) {
    const next = new Set(this.busy);
    if (busy) next.add(id);
    else next.delete(id);
    this.busy = next;
  }

  private async startEdit(comment: AdminComment) {
    this.banning = undefined;
    this.editing = comment.id;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>(`#edit-${comment.id}`)?.focus();
  }

  private async cancelEdit(comment: AdminComment) {
    this.editing = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(`[data-id="${comment.id}"] [data-action="edit"]`)?.focus();
  }

  private async saveEdit(event: SubmitEvent, comment: AdminComment) {
    event.preventDefault();
    const body = String(new FormData(event.currentTarget as HTMLFormElement).get('body') ?? '').trim();
    if (!body) {
      this.actionError = 'The comment must not be empty.';
      return;
    }
    this.setBusy(comment.id, true);
    this.actionError = '';
    try {
      await this.api.edit(comment.id, body);
      this.editing = undefined;
      this.announcement = `${PAST_TENSE.edit} the comment by ${comment.author.name || 'Anonymous'}.`;
      await this.load({ keepFocus: true });
    } catch (error) {
      this.actionError = `Saving failed: ${error instanceof ApiError ? error.message : 'the server could not be reached'}`;
    } finally {
      this.setBusy(comment.id, false);
    }
  }

  private async toggleBan(comment: AdminComment) {
    this.editing = undefined;
    const opening = this.banning !== comment.id;
    this.banning = opening ? comment.id : undefined;
    await this.updateComplete;
    const target = opening ? `[data-id="${comment.id}"] input[name="by"]:checked` : `[data-id="${comment.id}"] [data-action="ban"]`;
    this.renderRoot.querySelector<HTMLElement>(target)?.focus();
  }

  private async ban(event: SubmitEvent, comment: AdminComment) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const by = data.get('by') === 'email' ? 'email' : 'ip';
    const hours = Number(data.get('duration'));
    this.setBusy(comment.id, true);
    this.actionError = '';
    try {
      await this.api.banAuthor(comment.id, by, hours > 0 ? hours : undefined);
      this.banning = undefined;
      this.announcement = `Banned ${comment.author.name || 'the author'} by ${by === 'email' ? 'email' : 'IP address'}${hours > 0 ? ` for ${BAN_DURATIONS.find(([h]) => h === hours)?.[1]}` : ' permanently'}.`;
      await this.updateComplete;
      this.focusRow(this.current);
    } catch (error) {
      this.actionError = `Ban failed: ${error instanceof ApiError ? error.message : 'the server could not be reached'}`;
    } finally {
      this.setBusy(comment.id, false);
    }
  }

  private focusRow(index: number) {
    const rows = this.renderRoot.querySelectorAll<HTMLElement>('li.row');
    if (rows.length === 0) return;
    this.current = Math.max(0, Math.min(index, rows.length - 1));
    rows[this.current]?.focus();
  }

  private onKeydown(event: KeyboardEvent) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.composedPath()[0] as HTMLElement;
    if (target.closest('input, textarea, select, form')) return;
    const row = target.closest<HTMLElement>('li.row');
    if (!row) return;
    const index = [...this.renderRoot.querySelectorAll('li.row')].indexOf(row);
    const comment = this.comments[index];
    if (!comment) return;
    const removed = comment.status === 'deleted';
    switch (event.key) {
      case 'j':
      case 'ArrowDown':
        if (target !== row && event.key === 'ArrowDown') return;
        this.focusRow(index + 1);
        break;
      case 'k':
      case 'ArrowUp':
        if (target !== row && event.key === 'ArrowUp') return;
        this.focusRow(index - 1);
        break;
      case 'a':
        if (comment.status !== 'pending' && comment.status !== 'spam' && !(comment.status === 'visible' && comment.flags > 0)) return;
        this.current = index;
        void this.run(comment, 'approve');
        break;
      case 's':
        if (comment.status === 'spam' || removed) return;
        this.current = index;
        void this.run(comment, 'spam');
        break;
      case 'd':
        if (removed) return;
        this.current = index;
        void this.run(comment, 'delete');
        break;
      case 'e':
        if (removed) return;
        void this.startEdit(comment);
        break;
      case 'x':
        if (this.commentId || this.bulkBusy) return;
        this.current = index;
        this.setSelected(comment.id, !this.selected.has(comment.id));
        break;
      default:
        return;
    }
    event.preventDefault();
  }
}

/** The start of a comment, for a checkbox's accessible name. */
function excerpt(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > 60 ? `${text.slice(0, 59)}…` : text || '(no text)';
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-console-queue': ConsoleQueue;
  }
}
