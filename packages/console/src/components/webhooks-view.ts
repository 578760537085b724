import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, type AdminApi } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { baseStyles } from '../styles/tokens.ts';
import type { WebhookDelivery } from '../types.ts';

/**
 * @summary The webhook delivery log of a site: event, target, outcome, attempts.
 */
@customElement('parley-console-webhooks')
export class ConsoleWebhooks extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .card {
        overflow-x: auto;
      }
      .url {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.8125rem;
        overflow-wrap: anywhere;
      }
      .empty {
        padding: 2.5rem 1rem;
        text-align: center;
      }
      .toolbar {
        display: flex;
        justify-content: end;
        margin-bottom: 1rem;
      }
    `,
  ];

  /** The console's API client. */
  @property({ attribute: false }) api!: AdminApi;
  /** The site whose deliveries are listed. */
  @property() site = 'default';

  @state() private items: WebhookDelivery[] | undefined;
  @state() private error = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('site')) void this.load();
  }

  async load(): Promise<void> {
    if (!this.api) return;
    this.error = '';
    try {
      this.items = await this.api.deliveries(this.site);
    } catch (error) {
      this.items = undefined;
      this.error = error instanceof ApiError ? error.message : 'The delivery log could not be loaded.';
    }
  }

  override render() {
    return html`
      <div class="toolbar"><button class="button secondary" type="button" @click=${() => this.load()}>Refresh</button></div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.items === undefined
        ? this.error
          ? nothing
          : html`<p class="muted" role="status">Loading…</p>`
        : this.items.length === 0
          ? html`<div class="card empty muted">No webhook deliveries yet. Webhooks are configured per site in the sites file.</div>`
          : html`<div class="card">
              <table>
                <caption class="visually-hidden">Webhook deliveries, newest first</caption>
                <thead>
                  <tr><th scope="col">Created</th><th scope="col">Event</th><th scope="col">URL</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last response</th></tr>
                </thead>
                <tbody>
                  ${this.items.map(
                    (item) => html`<tr>
                      <td>${formatDateTime(item.createdAt)}</td>
                      <td>${item.event}</td>
                      <td class="url">${item.url}</td>
                      <td><span class="badge ${item.status === 'delivered' ? 'ok' : item.status === 'failed' ? 'danger' : 'warn'}">${item.status}</span></td>
                      <td>${item.attempts}</td>
                      <td>
                        ${item.lastStatus ?? ''} ${item.lastError ? html`<span class="error">${item.lastError}</span>` : nothing}
                        ${item.deliveredAt ? html`<div class="muted">Delivered ${formatDateTime(item.deliveredAt)}</div>` : item.nextAttemptAt ? html`<div class="muted">Next try ${formatDateTime(item.nextAttemptAt)}</div>` : nothing}
                      </td>
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
    'parley-console-webhooks': ConsoleWebhooks;
  }
}
