import type { RelatedSettings } from './settings.ts';

const DAY_MS = 86_400_000;

/** One day's co-visits of a pair: `visits` distinct addresses went from `pageKey` to `targetKey`. */
export interface CovisitRow {
  pageKey: string;
  targetKey: string;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  visits: number;
}

/** Page key → (target key → decayed co-visits). */
export type Covisits = Map<string, Map<string, number>>;

/**
 * Sums each pair's daily co-visits with an exponential decay (`covisitHalfLifeDays`), so last
 * month's readers count half as much as today's with a 30-day half-life. Pages whose pairs add
 * up to less than `covisitThreshold` are left out: a handful of clicks is noise, not a signal.
 */
export function decayCovisits(rows: Iterable<CovisitRow>, now: number, settings: Pick<RelatedSettings, 'covisitHalfLifeDays' | 'covisitThreshold'>): Covisits {
  const pages: Covisits = new Map();
  const totals = new Map<string, number>();
  for (const { pageKey, targetKey, day, visits } of rows) {
    const age = Math.max(0, (now - Date.parse(`${day}T12:00:00Z`)) / DAY_MS);
    const weight = settings.covisitHalfLifeDays > 0 ? visits * 0.5 ** (age / settings.covisitHalfLifeDays) : visits;
    let targets = pages.get(pageKey);
    if (!targets) pages.set(pageKey, (targets = new Map()));
    targets.set(targetKey, (targets.get(targetKey) ?? 0) + weight);
    totals.set(pageKey, (totals.get(pageKey) ?? 0) + weight);
  }
  for (const [pageKey, total] of totals) if (total < settings.covisitThreshold) pages.delete(pageKey);
  return pages;
}

/** How far back co-visits are read (and kept): beyond eight half-lives a visit weighs under 0.4 %. */
export function covisitWindowDays(settings: Pick<RelatedSettings, 'covisitHalfLifeDays'>): number {
  return Math.min(366, Math.max(1, Math.ceil(settings.covisitHalfLifeDays * 8)));
}
