import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, type AdminApi } from '../api.ts';
import { formatNumber, plural } from '../format.ts';
import { baseStyles } from '../styles/tokens.ts';
import type { AdminStats, RelatedClicksResponse } from '../types.ts';
import './related-feedback-view.ts';

const dayFormat = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const formatDay = (day: string) => {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : dayFormat.format(date);
};

/** A hand-drawn bar chart of comments per day: `role="img"` with a spoken summary; the table below holds the numbers. */
export function perDayChart(perDay: AdminStats['perDay'], titleId: string) {
  const width = 720;
  const height = 200;
  const pad = { top: 12, right: 8, bottom: 24, left: 36 };
  const max = Math.max(1, ...perDay.map((d) => d.count));
  // A round top for the axis: 1, 2, 5 × 10^n.
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const top = [1, 2, 5, 10].map((m) => m * magnitude).find((v) => v >= max) ?? max;
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const slot = innerW / Math.max(1, perDay.length);
  const barW = Math.max(2, slot * 0.7);
  const total = perDay.reduce((sum, d) => sum + d.count, 0);
  const busiest = perDay.reduce<AdminStats['perDay'][number] | undefined>((best, d) => (!best || d.count > best.count ? d : best), undefined);
  const summary = perDay.length
    ? `Comments per day, ${formatDay(perDay[0]!.day)} to ${formatDay(perDay.at(-1)!.day)}: ${plural(total, 'comment')} in total` +
      (busiest && busiest.count > 0 ? `, most on ${formatDay(busiest.day)} (${formatNumber(busiest.count)}).` : '.')
    : 'No comments in this period.';
  const ticks = [0, top / 2, top];
  const labelEvery = Math.ceil(perDay.length / 8);
  return html`
    <svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby=${titleId} aria-describedby="${titleId}-summary">
      <desc id="${titleId}-summary">${summary}</desc>
      ${ticks.map((tick) => {
        const y = pad.top + innerH - (tick / top) * innerH;
        return svg`<line x1=${pad.left} x2=${width - pad.right} y1=${y} y2=${y} class="grid" />
          <text x=${pad.left - 6} y=${y + 4} text-anchor="end" class="axis">${formatNumber(tick)}</text>`;
      })}
      ${perDay.map((d, i) => {
        const h = (d.count / top) * innerH;
        const x = pad.left + i * slot + (slot - barW) / 2;
        return svg`<rect class="bar" x=${x} y=${pad.top + innerH - h} width=${barW} height=${Math.max(h, d.count > 0 ? 1 : 0)} rx="2"><title>${formatDay(d.day)}: ${plural(d.count, 'comment')}</title></rect>
          ${i % labelEvery === 0 ? svg`<text x=${x + barW / 2} y=${height - 6} text-anchor="middle" class="axis">${formatDay(d.day)}</text>` : nothing}`;
      })}
    </svg>
    <p class="muted chart-summary" aria-hidden="true">${summary}</p>
  `;
}

/**
 * @summary Statistics for a site: totals, a per-day bar chart with its data table, most discussed pages,
 * and click-through on related-article cards. One period picker drives both requests; each fails on its own.
 */
@customElement('parley-console-stats')
export class ConsoleStats extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .totals {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
        gap: 0.75rem;
        margin: 0 0 1rem;
        padding: 0;
      }
      .total {
        padding: 1rem 1.25rem;
      }
      .total dt {
        color: var(--_muted);
        font-size: 0.875rem;
        font-weight: 600;
      }
      .total dd {
        margin: 0.25rem 0 0;
        font-size: 1.75rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      section.card {
        padding: 1.25rem;
        margin-bottom: 1rem;
      }
      h2 {
        font-size: 1.0625rem;
        margin-bottom: 0.75rem;
      }
      .chart {
        width: 100%;
        height: auto;
        max-height: 18rem;
        display: block;
      }
      .chart .bar {
        fill: var(--_accent);
      }
      .chart .bar:hover {
        fill: var(--_text);
      }
      .chart .grid {
        stroke: var(--_border);
        stroke-width: 1;
        vector-effect: non-scaling-stroke;
      }
      .chart .axis {
        fill: var(--_muted);
        font-size: 11px;
      }
      .chart-summary {
        font-size: 0.875rem;
        margin: 0.5rem 0 0;
      }
      details {
        margin-top: 0.75rem;
      }
      summary {
        cursor: pointer;
        color: var(--_accent);
        font-weight: 600;
        font-size: 0.875rem;
      }
      td.num,
      th.num {
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      .page {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.8125rem;
        color: var(--_muted);
        overflow-wrap: anywhere;
      }
      .toolbar {
        display: flex;
        justify-content: end;
        align-items: center;
        gap: 0.5rem;
        margin-bottom: 1rem;
      }
    `,
  ];

  /** The console's API client. */
  @property({ attribute: false }) api!: AdminApi;
  /** The site whose statistics are shown. */
  @property() site = 'default';

  @state() private stats: AdminStats | undefined;
  @state() private error = '';
  @state() private days = 30;
  @state() private clicks: RelatedClicksResponse | undefined;
  @state() private clicksError = '';

  #abort: AbortController | undefined;
  #clicksAbort: AbortController | undefined;

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('site') || changed.has('days')) {
      void this.load();
      void this.loadClicks();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
    this.#clicksAbort?.abort();
  }

  async load(): Promise<void> {
    if (!this.api) return;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.error = '';
    try {
      this.stats = await this.api.stats(this.site, this.days, abort.signal);
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      this.stats = undefined;
      this.error = error instanceof ApiError ? error.message : 'The statistics could not be loaded.';
    }
  }

  /** Related-article click-through for the period; independent of the comment statistics. */
  async loadClicks(): Promise<void> {
    if (!this.api) return;
    this.#clicksAbort?.abort();
    const abort = (this.#clicksAbort = new AbortController());
    this.clicksError = '';
    this.clicks = undefined;
    try {
      this.clicks = await this.api.relatedClicks(this.site, this.days, abort.signal);
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      this.clicks = undefined;
      this.clicksError = error instanceof ApiError ? error.message : 'The related-article clicks could not be loaded.';
    }
  }

  override render() {
    const stats = this.stats;
    return html`
      <div class="toolbar">
        <label for="days">Period</label>
        <select id="days" @change=${(event: Event) => (this.days = Number((event.target as HTMLSelectElement).value))}>
          ${[7, 30, 90].map((days) => html`<option value=${days} ?selected=${days === this.days}>Last ${days} days</option>`)}
        </select>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${stats ? this.renderStats(stats) : this.error ? nothing : html`<p class="muted" role="status">Loading…</p>`}
      ${this.renderClicks()}
      <parley-console-related-feedback .api=${this.api} site=${this.site} .days=${this.days}></parley-console-related-feedback>
    `;
  }

  private renderStats(stats: AdminStats) {
    const totals: Array<[string, number]> = [
      ['Published', stats.totals.visible],
      ['Pending', stats.totals.pending],
      ['Flagged', stats.totals.flagged],
      ['Spam', stats.totals.spam],
    ];
    return html`
      <dl class="totals">
        ${totals.map(([label, value]) => html`<div class="total card"><dt>${label}</dt><dd>${formatNumber(value)}</dd></div>`)}
      </dl>
      <section class="card" aria-labelledby="per-day-title">
        <h2 id="per-day-title">Comments per day</h2>
        ${perDayChart(stats.perDay, 'per-day-title')}
        <details>
          <summary>Show the numbers as a table</summary>
          <table>
            <caption class="visually-hidden">Comments per day</caption>
            <thead><tr><th scope="col">Day</th><th scope="col" class="num">Comments</th></tr></thead>
            <tbody>
              ${stats.perDay.map((d) => html`<tr><td>${formatDay(d.day)}</td><td class="num">${formatNumber(d.count)}</td></tr>`)}
            </tbody>
          </table>
        </details>
      </section>
      <section class="card" aria-labelledby="discussed-title">
        <h2 id="discussed-title">Most discussed pages</h2>
        ${stats.mostDiscussed.length === 0
          ? html`<p class="muted">No comments in this period.</p>`
          : html`<table>
              <thead><tr><th scope="col">Page</th><th scope="col" class="num">Comments</th></tr></thead>
              <tbody>
                ${stats.mostDiscussed.map(
                  (row) => html`<tr>
                    <td>${row.title ? html`<div>${row.title}</div>` : nothing}<div class="page">${row.page}</div></td>
                    <td class="num">${formatNumber(row.count)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      </section>
    `;
  }

  private renderClicks() {
    const clicks = this.clicks;
    // Most clicked first (the server sorts too; ties by URL so the order is stable).
    const items = clicks ? [...clicks.items].sort((a, b) => b.clicks - a.clicks || a.url.localeCompare(b.url)) : [];
    const total = items.reduce((sum, item) => sum + item.clicks, 0);
    return html`
      <section class="card related-clicks" aria-labelledby="clicks-title" aria-busy=${clicks || this.clicksError ? 'false' : 'true'}>
        <h2 id="clicks-title">Related clicks</h2>
        ${this.clicksError
          ? html`<p class="error" role="alert">${this.clicksError}</p>`
          : !clicks
            ? html`<p class="muted" role="status">Loading…</p>`
            : items.length === 0
              ? html`<p class="muted empty">No clicks on related articles since ${formatDay(clicks.since)}.</p>`
              : html`<p class="muted summary">
                    ${plural(total, 'click')} on “You may also like” cards since ${formatDay(clicks.since)}, on ${plural(items.length, 'article')}.
                  </p>
                  <table>
                    <caption class="visually-hidden">Clicks on related articles since ${formatDay(clicks.since)}, most clicked first</caption>
                    <thead>
                      <tr><th scope="col">Article</th><th scope="col">URL</th><th scope="col" class="num">Clicks</th></tr>
                    </thead>
                    <tbody>
                      ${items.map(
                        (item) => html`<tr data-url=${item.url}>
                          <td class="title">${item.title ?? html`<span class="muted">Not in the article index</span>`}</td>
                          <td class="page">${item.url}</td>
                          <td class="num">${formatNumber(item.clicks)}</td>
                        </tr>`,
                      )}
                    </tbody>
                  </table>`}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-console-stats': ConsoleStats;
  }
}
