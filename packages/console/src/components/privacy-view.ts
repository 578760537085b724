import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, type AdminApi } from '../api.ts';
import { formatDateTime, plural } from '../format.ts';
import { baseStyles } from '../styles/tokens.ts';
import type { PrivacyResult } from '../types.ts';

type ExportResult = Extract<PrivacyResult, { kind: 'export' }>;
type DeleteResult = Extract<PrivacyResult, { kind: 'delete' }>;

const STATUS_LABELS: Record<string, string> = {
  visible: 'Published',
  pending: 'Pending',
  spam: 'Spam',
  rejected: 'Rejected',
  deleted: 'Deleted',
};

/**
 * @summary A reader's data on request: export (a JSON file and a summary table) or delete every
 * comment written with an email address on the site. Deleting asks for confirmation first, naming
 * how many comments will go. Readers can do the same themselves through a mailed confirmation link.
 */
@customElement('parley-console-privacy')
export class ConsolePrivacy extends LitElement {
  static override styles = [
    baseStyles,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.75rem;
        margin-bottom: 1rem;
      }
      .field {
        display: flex;
        flex-direction: column;
        gap: 0.25rem;
        flex: 1 1 18rem;
        max-width: 28rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      .panel {
        padding: 1rem;
        margin-bottom: 1rem;
      }
      .panel h2 {
        font-size: 1.125rem;
        margin: 0 0 0.5rem;
      }
      .confirm {
        border-color: var(--_danger);
      }
      .table {
        overflow-x: auto;
        margin-top: 0.75rem;
      }
      .body {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        max-width: 40rem;
      }
      .page {
        overflow-wrap: anywhere;
      }
      .hint {
        margin: 0 0 1rem;
        max-width: 48rem;
      }
    `,
  ];

  /** The console's API client. */
  @property({ attribute: false }) api!: AdminApi;
  /** The site whose comments are exported or deleted. */
  @property() site = 'default';

  @state() private email = '';
  @state() private busy = false;
  @state() private error = '';
  @state() private announcement = '';
  @state() private exported: ExportResult | undefined;
  /** The export a pending deletion was counted from (the confirm step). */
  @state() private confirming: ExportResult | undefined;
  @state() private deleted: DeleteResult | undefined;
  @state() private downloadUrl: string | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('site') && changed.get('site') !== undefined) this.reset();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.setDownload(undefined);
  }

  private reset() {
    this.exported = undefined;
    this.confirming = undefined;
    this.deleted = undefined;
    this.error = '';
    this.setDownload(undefined);
  }

  private setDownload(result: ExportResult | undefined) {
    if (this.downloadUrl) URL.revokeObjectURL(this.downloadUrl);
    this.downloadUrl = result ? URL.createObjectURL(new Blob([JSON.stringify(result, null, 2)], { type: 'application/json' })) : undefined;
  }

  private fileName(result: ExportResult): string {
    const safe = (value: string) => value.replace(/[^a-z0-9._-]+/gi, '_').slice(0, 80);
    return `parley-${safe(result.site)}-${safe(result.email)}.json`;
  }

  private failure(what: string, error: unknown): string {
    return `${what} failed: ${error instanceof ApiError ? error.message : 'the server could not be reached'}`;
  }

  private input(): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>('#privacy-email')!;
  }

  private onInput(event: Event) {
    this.email = (event.target as HTMLInputElement).value;
    // A confirmation counted for another address must not delete this one.
    this.confirming = undefined;
  }

  private async exportComments(event: SubmitEvent) {
    event.preventDefault();
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    this.deleted = undefined;
    this.confirming = undefined;
    try {
      const result = await this.api.privacy(this.site, this.email.trim(), 'export');
      if (result.kind !== 'export') throw new Error('unexpected answer');
      this.exported = result;
      this.setDownload(result);
      this.announcement = `Exported ${plural(result.comments.length, 'comment')} by ${result.email}.`;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#export-title')?.focus();
    } catch (error) {
      this.error = this.failure('Export', error);
    } finally {
      this.busy = false;
    }
  }

  /** First step of a deletion: count what would go, then ask. */
  private async askDelete() {
    const input = this.input();
    if (!input.reportValidity() || this.busy) return;
    this.busy = true;
    this.error = '';
    this.deleted = undefined;
    try {
      const result = await this.api.privacy(this.site, this.email.trim(), 'export');
      if (result.kind !== 'export') throw new Error('unexpected answer');
      if (result.comments.length === 0) {
        this.confirming = undefined;
        this.announcement = '';
        this.error = `There are no comments by ${result.email} on ${result.site} to delete.`;
        return;
      }
      this.confirming = result;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-action="confirm-delete"]')?.focus();
    } catch (error) {
      this.error = this.failure('Counting the comments', error);
    } finally {
      this.busy = false;
    }
  }

  private async cancelDelete() {
    this.confirming = undefined;
    this.announcement = 'Nothing was deleted.';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-action="delete"]')?.focus();
  }

  private async confirmDelete() {
    const pending = this.confirming;
    if (!pending || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      const result = await this.api.privacy(pending.site, pending.email, 'delete');
      if (result.kind !== 'delete') throw new Error('unexpected answer');
      this.confirming = undefined;
      this.deleted = result;
      // An export shown for this address is out of date now.
      if (this.exported?.email === result.email && this.exported.site === result.site) {
        this.exported = undefined;
        this.setDownload(undefined);
      }
      this.announcement = this.deletedText(result);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#delete-title')?.focus();
    } catch (error) {
      this.error = this.failure('Deleting', error);
    } finally {
      this.busy = false;
    }
  }

  private deletedText(result: DeleteResult): string {
    const parts = [`Removed ${plural(result.removed, 'comment')}`];
    if (result.anonymised > 0) parts.push(`anonymised ${plural(result.anonymised, 'comment')} kept as placeholders because they have replies`);
    return `${parts.join('; ')} by ${result.email} on ${result.site}.`;
  }

  override render() {
    return html`
      <p class="hint muted">
        Export or delete every comment written with an email address on <strong>${this.site}</strong>. Readers can ask for the same themselves; they
        confirm through a link mailed to them. Here it happens at once.
      </p>
      <form @submit=${this.exportComments} aria-label="Reader's comments">
        <div class="field">
          <label for="privacy-email">Reader's email</label>
          <input id="privacy-email" name="email" type="email" required maxlength="254" autocomplete="off" .value=${this.email} @input=${this.onInput} />
        </div>
        <div class="actions">
          <button class="button" type="submit" data-action="export" ?disabled=${this.busy}>Export</button>
          <button class="button danger" type="button" data-action="delete" ?disabled=${this.busy} aria-expanded=${this.confirming ? 'true' : 'false'} @click=${this.askDelete}>
            Delete…
          </button>
        </div>
      </form>
      <div class="visually-hidden" role="status">${this.announcement}</div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.confirming ? this.renderConfirm(this.confirming) : nothing}
      ${this.deleted
        ? html`<section class="card panel" aria-labelledby="delete-title">
            <h2 id="delete-title" tabindex="-1">Deleted</h2>
            <p>${this.deletedText(this.deleted)}</p>
          </section>`
        : nothing}
      ${this.exported ? this.renderExport(this.exported) : nothing}
    `;
  }

  private renderConfirm(pending: ExportResult) {
    const count = plural(pending.comments.length, 'comment');
    return html`
      <section class="card panel confirm" role="group" aria-labelledby="confirm-title" aria-describedby="confirm-text">
        <h2 id="confirm-title">Delete ${count}?</h2>
        <p id="confirm-text">
          Every comment by <span class="email">${pending.email}</span> on ${pending.site} will be erased. Comments with replies stay as anonymous
          placeholders. This cannot be undone.
        </p>
        <div class="actions">
          <button class="button danger" type="button" data-action="confirm-delete" ?disabled=${this.busy} @click=${this.confirmDelete}>Yes, delete ${count}</button>
          <button class="button secondary" type="button" data-action="cancel-delete" ?disabled=${this.busy} @click=${this.cancelDelete}>Cancel</button>
        </div>
      </section>
    `;
  }

  private renderExport(result: ExportResult) {
    return html`
      <section class="card panel export" aria-labelledby="export-title">
        <h2 id="export-title" tabindex="-1">Export</h2>
        <p>
          ${plural(result.comments.length, 'comment')} by <span class="email">${result.email}</span> on ${result.site}, exported
          <time datetime=${result.exportedAt}>${formatDateTime(result.exportedAt)}</time>.
        </p>
        ${this.downloadUrl ? html`<a class="button secondary" href=${this.downloadUrl} download=${this.fileName(result)}>Download JSON</a>` : nothing}
        ${result.comments.length === 0
          ? nothing
          : html`<div class="table">
              <table>
                <caption class="visually-hidden">Exported comments</caption>
                <thead>
                  <tr><th scope="col">Written</th><th scope="col">Page</th><th scope="col">Status</th><th scope="col">Name</th><th scope="col">Comment</th></tr>
                </thead>
                <tbody>
                  ${result.comments.map(
                    (comment) => html`<tr data-id=${comment.id}>
                      <td><time datetime=${comment.createdAt}>${formatDateTime(comment.createdAt)}</time></td>
                      <td class="page">${comment.page}</td>
                      <td>${STATUS_LABELS[comment.status] ?? comment.status}</td>
                      <td class="name">${comment.authorName ?? html`<span class="muted">—</span>`}</td>
                      <td class="body">${comment.body}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-console-privacy': ConsolePrivacy;
  }
}
