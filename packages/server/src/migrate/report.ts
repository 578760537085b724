import type { ImportFormat } from './item.ts';

/** One item that was not written, and why. `failure` items make the import exit 1; the others are choices. */
export interface SkippedItem {
  file: string;
  sourceId: string;
  reason: string;
  failure: boolean;
}

/** What an import did (or, with --dry-run, would do). */
export interface ImportReport {
  site: string;
  dryRun: boolean;
  files: Array<{ path: string; format: ImportFormat | null; error?: string }>;
  /** Comments written. */
  imported: number;
  /** Items an earlier run imported already (nothing changed). */
  unchanged: number;
  /** Written comments per Parley status (`deleted`: placeholders kept for their replies). */
  byStatus: Record<string, number>;
  /** Written comments per page key. */
  byPage: Record<string, number>;
  skipped: SkippedItem[];
  /** Replies whose parent is not in the export: now top level. */
  reparented: Array<{ file: string; sourceId: string; parentSourceId: string }>;
  /** Deleted comments without replies: not kept (their source id is remembered, so a repeat skips them too). */
  deletedDropped: number;
  articles: { added: number; known: number };
  locks: number;
  relatedPins: number;
  bans: number;
}

export function emptyReport(site: string, dryRun: boolean): ImportReport {
  return { site, dryRun, files: [], imported: 0, unchanged: 0, byStatus: {}, byPage: {}, skipped: [], reparented: [], deletedDropped: 0, articles: { added: 0, known: 0 }, locks: 0, relatedPins: 0, bans: 0 };
}

/** True when something could not be imported for a reason other than a choice (exit code 1). */
export function importFailed(report: ImportReport): boolean {
  return report.files.some((file) => file.error !== undefined) || report.skipped.some((item) => item.failure);
}

export function bump(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
  if (counts[key] === 0) delete counts[key];
}

/** The report as lines for a terminal or a log. */
export function formatReport(report: ImportReport): string[] {
  const lines: string[] = [];
  const verb = report.dryRun ? 'Would import' : 'Imported';
  for (const file of report.files) lines.push(`${file.path}: ${file.format ?? 'unknown format'}${file.error ? ` — FAILED: ${file.error}` : ''}`);
  lines.push(`${verb} ${report.imported} comment(s) into site "${report.site}"; ${report.unchanged} already imported before`);
  const statuses = Object.entries(report.byStatus).map(([status, n]) => `${status} ${n}`);
  if (statuses.length) lines.push(`By status: ${statuses.join(', ')}${report.deletedDropped ? ` (and ${report.deletedDropped} deleted without replies, not kept)` : ''}`);
  const pages = Object.entries(report.byPage).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (pages.length) {
    lines.push(`By page (${pages.length}):`);
    for (const [page, n] of pages) lines.push(`  ${n}\t${page}`);
  }
  lines.push(`Articles: ${report.articles.added} added, ${report.articles.known} already known; locked threads: ${report.locks}` + (report.relatedPins || report.bans ? `; related pins: ${report.relatedPins}; bans: ${report.bans}` : ''));
  for (const orphan of report.reparented) lines.push(`reply ${orphan.sourceId} (${orphan.file}): parent ${orphan.parentSourceId} not found, shown at top level`);
  for (const item of report.skipped) lines.push(`${item.failure ? 'skipped' : 'left out'} ${item.sourceId} (${item.file}): ${item.reason}`);
  return lines;
}
