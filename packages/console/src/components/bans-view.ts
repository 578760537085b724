import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, type AdminApi } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { baseStyles } from '../styles/tokens.ts';
import type { Ban } from '../types.ts';

/**
 * @summary The active bans of a site, each with an Unban button. Bans are made from a comment's "Ban author…".
 */
@customElement('parley-console-bans')
export class ConsoleBans extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .card {
        overflow-x: auto;
      }
      .hash {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.8125rem;
      }
      .empty {
        padding: 2.5rem 1rem;
        text-align: center;
      }
    `,
  ];

  /** The console's API client. */
  @property({ attribute: false }) api!: AdminApi;
  /** The site whose bans are listed. */
  @property() site = 'default';

  @state() private items: Ban[] | undefined;
  @state() private error = '';
  @state() private announcement = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('site')) void this.load();
  }

  async load(): Promise<void> {
    if (!this.api) return;
    try {
      this.items = await this.api.bans(this.site);
    } catch (error) {
      this.items = undefined;
      this.error = error instanceof ApiError ? error.message : 'The bans could not be loaded.';
    }
  }

  private async unban(ban: Ban) {
    this.error = '';
    try {
      await this.api.unban(ban.id);
      this.announcement = `Lifted the ${ban.kind === 'ip' ? 'IP' : 'email'} ban.`;
      await this.load();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('button, .empty')?.focus();
    } catch (error) {
      this.error = `Unban failed: ${error instanceof ApiError ? error.message : 'the server could not be reached'}`;
    }
  }

  override render() {
    return html`
      <div class="visually-hidden" role="status">${this.announcement}</div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.items === undefined
        ? this.error
          ? nothing
          : html`<p class="muted">Loading…</p>`
        : this.items.length === 0
          ? html`<div class="card empty muted" tabindex="-1">No active bans. Ban an author from a comment's “Ban author…” button.</div>`
          : html`<div class="card">
              <table>
                <caption class="visually-hidden">Active bans</caption>
                <thead>
                  <tr><th scope="col">By</th><th scope="col">Hash</th><th scope="col">Reason</th><th scope="col">Since</th><th scope="col">Until</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
                </thead>
                <tbody>
                  ${this.items.map(
                    (ban) => html`<tr>
                      <td>${ban.kind === 'ip' ? 'IP address' : 'Email'}</td>
                      <td class="hash" title=${ban.valueHash}>${ban.valueHash.slice(0, 12)}…</td>
                      <td>${ban.reason ?? html`<span class="muted">—</span>`}</td>
                      <td>${formatDateTime(ban.createdAt)}</td>
                      <td>${ban.expiresAt ? formatDateTime(ban.expiresAt) : 'Permanent'}</td>
                      <td><button class="button secondary" type="button" @click=${() => this.unban(ban)} aria-label=${`Unban ${ban.kind === 'ip' ? 'IP address' : 'email'} ${ban.valueHash.slice(0, 12)}`}>Unban</button></td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-console-bans': ConsoleBans;
  }
}
