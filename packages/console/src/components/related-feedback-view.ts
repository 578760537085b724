import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, type AdminApi } from '../api.ts';
import { formatNumber } from '../format.ts';
import { baseStyles } from '../styles/tokens.ts';
import type { RelatedFeedbackResponse } from '../types.ts';

/** Click-through as a percentage with one decimal; a dash before any impression. */
const percent = (ctr: number | null) => (ctr === null ? '–' : `${(ctr * 100).toFixed(1)} %`);

/**
 * @summary Click-through of "You may also like" cards: per position in the box (is the first card
 * followed more than the fourth?) and per recommended article (cards seen, followed, CTR).
 */
@customElement('parley-console-related-feedback')
export class ConsoleRelatedFeedback extends LitElement {
  static override styles = [
    baseStyles,
    css`
      section.card {
        padding: 1.25rem;
        margin-bottom: 1rem;
      }
      h2 {
        font-size: 1.0625rem;
        margin-bottom: 0.75rem;
      }
      h3 {
        font-size: 0.9375rem;
        margin: 1rem 0 0.5rem;
      }
      td.num,
      th.num {
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      .bar {
        display: inline-block;
        height: 0.6rem;
        border-radius: 0.3rem;
        background: var(--_accent);
        vertical-align: middle;
      }
      .page {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.8125rem;
        color: var(--_muted);
        overflow-wrap: anywhere;
      }
    `,
  ];

  /** The console's API client. */
  @property({ attribute: false }) api!: AdminApi;
  /** The site whose feedback is shown. */
  @property() site = 'default';
  /** Days back from today. */
  @property({ type: Number }) days = 30;

  @state() private feedback: RelatedFeedbackResponse | undefined;
  @state() private error = '';
  #abort: AbortController | undefined;

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('site') || changed.has('days') || changed.has('api')) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
  }

  async load(): Promise<void> {
    if (!this.api) return;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.error = '';
    this.feedback = undefined;
    try {
      this.feedback = await this.api.relatedFeedback(this.site, this.days, abort.signal);
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      this.error = error instanceof ApiError ? error.message : 'The click-through could not be loaded.';
    }
  }

  override render() {
    const feedback = this.feedback;
    return html`<section class="card related-feedback" aria-labelledby="feedback-title" aria-busy=${feedback || this.error ? 'false' : 'true'}>
      <h2 id="feedback-title">Related click-through</h2>
      ${this.error
        ? html`<p class="error" role="alert">${this.error}</p>`
        : !feedback
          ? html`<p class="muted" role="status">Loading…</p>`
          : feedback.byPosition.length === 0
            ? html`<p class="muted empty">No cards seen since ${feedback.since}. Impressions are counted when half a card is on screen.</p>`
            : this.renderTables(feedback)}
    </section>`;
  }

  private renderTables(feedback: RelatedFeedbackResponse) {
    const best = Math.max(...feedback.byPosition.map((row) => row.ctr ?? 0), 0.0001);
    return html`
      <h3 id="by-position">By position in the box</h3>
      <table aria-labelledby="by-position" class="by-position">
        <thead><tr><th scope="col">Position</th><th scope="col" class="num">Seen</th><th scope="col" class="num">Followed</th><th scope="col" class="num">CTR</th><th scope="col"><span class="visually-hidden">Bar</span></th></tr></thead>
        <tbody>
          ${feedback.byPosition.map(
            (row) => html`<tr data-position=${row.position}>
              <td>${row.position + 1}</td>
              <td class="num">${formatNumber(row.impressions)}</td>
              <td class="num">${formatNumber(row.clicks)}</td>
              <td class="num ctr">${percent(row.ctr)}</td>
              <td aria-hidden="true"><span class="bar" style="width: ${Math.round(((row.ctr ?? 0) / best) * 8 * 10) / 10}rem"></span></td>
            </tr>`,
          )}
        </tbody>
      </table>
      <h3 id="by-article">By recommended article</h3>
      <table aria-labelledby="by-article" class="by-article">
        <thead><tr><th scope="col">Article</th><th scope="col" class="num">Seen</th><th scope="col" class="num">Followed</th><th scope="col" class="num">CTR</th></tr></thead>
        <tbody>
          ${feedback.byArticle.map(
            (row) => html`<tr data-url=${row.url}>
              <td>${row.title ? html`<div>${row.title}</div>` : nothing}<div class="page">${row.url}</div></td>
              <td class="num">${formatNumber(row.impressions)}</td>
              <td class="num">${formatNumber(row.clicks)}</td>
              <td class="num ctr">${percent(row.ctr)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-console-related-feedback': ConsoleRelatedFeedback;
  }
}
