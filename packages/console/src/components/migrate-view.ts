import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi } from '../api.ts';
import { baseStyles } from '../styles/tokens.ts';

/** The report `POST /api/admin/import` ends with (see the server's migrate/report.ts). */
export interface ImportReport {
  dryRun: boolean;
  imported: number;
  unchanged: number;
  byStatus: Record<string, number>;
  byPage: Record<string, number>;
  skipped: Array<{ sourceId: string; reason: string; failure: boolean }>;
  reparented: Array<{ sourceId: string; parentSourceId: string }>;
  deletedDropped: number;
  articles: { added: number; known: number };
  locks: number;
  files: Array<{ format: string | null; error?: string }>;
}

const FORMATS = [
  ['auto', 'Detect from the file'],
  ['disqus', 'Disqus (XML)'],
  ['wordpress', 'WordPress (WXR)'],
  ['isso', 'Isso (database file)'],
  ['remark42', 'Remark42 (backup)'],
  ['commento', 'Commento / Comentario (JSON)'],
  ['parley', 'Parley export'],
] as const;

/**
 * @summary Moving in and out: upload another system's export (progress, then the report), and
 * download everything the site owns as a Parley export or Disqus XML.
 */
@customElement('parley-console-migrate')
export class ConsoleMigrate extends LitElement {
  static override styles = [
    baseStyles,
    css`
      form {
        display: grid;
        gap: 0.75rem;
        max-width: 36rem;
      }
      progress {
        width: 100%;
      }
      .downloads {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .skipped {
        max-height: 16rem;
        overflow: auto;
      }
    `,
  ];

  /** The console's API client (its CSRF token signs the upload). */
  @property({ attribute: false }) api!: AdminApi;
  /** The site to import into and export. */
  @property() site = 'default';

  @state() private busy = false;
  @state() private progress: { bytesRead: number; totalBytes: number; comments: number } | undefined;
  @state() private report: (ImportReport & { failed: boolean }) | undefined;
  @state() private error = '';

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0) {
      this.error = 'Choose an export file first.';
      return;
    }
    const query = new URLSearchParams({ site: this.site, format: String(data.get('format') ?? 'auto') });
    if (data.get('dryRun')) query.set('dryRun', '1');
    if (data.get('withPingbacks')) query.set('withPingbacks', '1');
    for (const line of String(data.get('mapUrl') ?? '').split('\n')) if (line.trim()) query.append('mapUrl', line.trim());
    this.busy = true;
    this.error = '';
    this.report = undefined;
    this.progress = { bytesRead: 0, totalBytes: file.size, comments: 0 };
    try {
      const response = await fetch(`${this.api.base}/import?${query}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/octet-stream', ...(this.api.csrfToken ? { 'x-csrf-token': this.api.csrfToken } : {}) },
        body: file,
      });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
        throw new Error(body?.error?.message ?? `The import failed (${response.status})`);
      }
      // NDJSON: progress lines, then the report.
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n')) !== -1) {
          const message = JSON.parse(buffer.slice(0, end)) as { type: string; report?: ImportReport; failed?: boolean; bytesRead: number; totalBytes: number; comments: number };
          buffer = buffer.slice(end + 1);
          if (message.type === 'progress') this.progress = message;
          else if (message.type === 'report' && message.report) this.report = { ...message.report, failed: message.failed ?? false };
        }
      }
    } catch (error) {
      this.error = (error as Error).message || 'The server could not be reached.';
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const exportUrl = (format: string) => `${this.api?.base ?? '/api/admin'}/export?${new URLSearchParams({ site: this.site, format })}`;
    return html`
      <section aria-labelledby="import-title">
        <h2 id="import-title">Import comments</h2>
        <form @submit=${this.submit}>
          <label>Export file <input type="file" name="file" required /></label>
          <label>Format
            <select name="format">${FORMATS.map(([value, label]) => html`<option value=${value}>${label}</option>`)}</select>
          </label>
          <label>Rewrite URLs (one <code>FROM=TO</code> per line, e.g. <code>https://old.example.com/=/</code>)
            <textarea name="mapUrl" rows="2"></textarea>
          </label>
          <label><input type="checkbox" name="dryRun" /> Dry run: report only, write nothing</label>
          <label><input type="checkbox" name="withPingbacks" /> Include WordPress pingbacks and trackbacks</label>
          <button class="button" type="submit" ?disabled=${this.busy}>${this.busy ? 'Importing…' : 'Import'}</button>
        </form>
        ${this.progress && this.busy
          ? html`<p><progress max=${this.progress.totalBytes} value=${this.progress.bytesRead} aria-label="Import progress"></progress> ${this.progress.comments.toLocaleString('en')} comments read</p>`
          : nothing}
        <div role="status">${this.report ? this.renderReport(this.report) : nothing}</div>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      </section>
      <section aria-labelledby="export-title">
        <h2 id="export-title">Export</h2>
        <p class="muted">Everything this site owns: comments with their status and threads, likes, articles, picks, locks and bans.</p>
        <div class="downloads">
          <a class="button secondary" href=${exportUrl('parley')} download>Download (Parley JSON Lines)</a>
          <a class="button secondary" href=${exportUrl('disqus')} download>Download (Disqus XML)</a>
        </div>
      </section>
    `;
  }

  private renderReport(report: ImportReport & { failed: boolean }) {
    const statuses = Object.entries(report.byStatus);
    const failures = report.files.filter((f) => f.error);
    return html`<div class="card report">
      <p><strong>${report.dryRun ? 'Would import' : 'Imported'} ${report.imported.toLocaleString('en')} comment(s)</strong>
        (${report.files.map((f) => f.format ?? 'unknown format').join(', ')}); ${report.unchanged.toLocaleString('en')} imported before.
        ${report.failed ? 'Some items failed; the rest was kept.' : 'Nothing failed.'}</p>
      ${failures.map((f) => html`<p class="error">${f.error}</p>`)}
      ${statuses.length ? html`<p>By status: ${statuses.map(([status, n]) => `${status} ${n}`).join(', ')}${report.deletedDropped ? `; ${report.deletedDropped} deleted without replies not kept` : ''}.</p>` : nothing}
      <p>${Object.keys(report.byPage).length} page(s); ${report.articles.added} article(s) added; ${report.locks} thread(s) locked.</p>
      ${report.skipped.length || report.reparented.length
        ? html`<details><summary>${report.skipped.length} skipped, ${report.reparented.length} moved to top level</summary>
            <ul class="skipped">
              ${report.skipped.map((s) => html`<li>${s.failure ? 'Failed' : 'Left out'}: ${s.sourceId} — ${s.reason}</li>`)}
              ${report.reparented.map((r) => html`<li>Reply ${r.sourceId}: parent ${r.parentSourceId} not in the export, shown at top level</li>`)}
            </ul>
          </details>`
        : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-console-migrate': ConsoleMigrate;
  }
}
