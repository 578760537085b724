/**
 * Learning from readers, simulated over a labelled corpus. Readers see the top five cards and
 * click by a position-based model (a card is looked at with a probability falling by position,
 * and followed more often when it is relevant); each session is one address. Their co-visits are
 * decayed and thresholded exactly as the server does (`decayCovisits`), and the ranking is done
 * again with them. Then one address tries to push an unrelated article into every box, first
 * as if every click counted, then under the server's cap (one co-visit per address, pair and day;
 * at most COVISITS_PER_ADDRESS_PER_DAY a day).
 */
import { decayCovisits, resolveRelatedSettings, type CovisitRow, type RelatedSettingsOverride } from '@parley/server/recommend';
import type { CorpusDocument } from './corpora.ts';
import { K, NOW, isRelevant, judge, scoreList, summarise, type Quality } from './quality.ts';

/** Chance that a reader looks at the card at each position (position-based click model). */
const EXAMINATION = [0.9, 0.7, 0.5, 0.35, 0.25];
const CLICK_IF_RELEVANT = 0.5;
const CLICK_IF_NOT = 0.1;
/** The server's per-address daily budget (services/related.ts). */
const COVISITS_PER_ADDRESS_PER_DAY = 20;

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface ClickSimulation {
  pages: number;
  sessionsPerPage: number;
  before: Quality & { ctr: number };
  afterClicks: Quality & { ctr: number };
  /** Share of boxes that show the spammer's article with no spam at all (0 by construction). */
  spamTargetsShownWithoutSpam: number;
  /** Share of boxes the spammer's article got into, counting every click vs under the cap. */
  spamUncapped: { boxesEntered: number; quality: Quality };
  spamCapped: { boxesEntered: number; quality: Quality };
}

export function simulateClicks(corpus: readonly CorpusDocument[], override: RelatedSettingsOverride, pages = 300, sessionsPerPage = 60): ClickSimulation {
  const judged = judge(corpus, override);
  const settings = resolveRelatedSettings(override);
  const random = mulberry32(11);
  const step = Math.max(1, Math.floor(judged.keys.length / pages));
  const queries = judged.keys.filter((_, i) => i % step === 0).slice(0, pages);
  const day = new Date(NOW).toISOString().slice(0, 10);

  const rank = (covisitRows: CovisitRow[]) => {
    const covisits = decayCovisits(covisitRows, NOW, settings);
    const lists = new Map<string, string[]>();
    for (const key of queries) lists.set(key, judged.index.related(key, { limit: K, now: NOW, covisits: covisits.get(key) }).map((a) => a.pageKey));
    return lists;
  };
  const quality = (lists: Map<string, string[]>) => {
    const scored = new Map([...lists].map(([key, list]) => [key, scoreList(judged, key, list, list.length)]));
    // Expected clicks per session under the click model: what readers would get from these boxes.
    let ctr = 0;
    for (const [key, list] of lists) list.forEach((target, i) => (ctr += EXAMINATION[i]! * (isRelevant(judged, key, target) ? CLICK_IF_RELEVANT : CLICK_IF_NOT)));
    return { ...summarise(judged, scored), ctr: Math.round((ctr / lists.size) * 1000) / 1000 };
  };

  const shown = rank([]);
  const rows: CovisitRow[] = [];
  for (const [key, list] of shown) {
    const counts = new Map<string, number>();
    for (let session = 0; session < sessionsPerPage; session += 1) {
      // A reader follows at most one card: the first one looked at and found worth it.
      for (let i = 0; i < list.length; i += 1) {
        const p = EXAMINATION[i]! * (isRelevant(judged, key, list[i]!) ? CLICK_IF_RELEVANT : CLICK_IF_NOT);
        if (random() < p) {
          counts.set(list[i]!, (counts.get(list[i]!) ?? 0) + 1);
          break;
        }
      }
    }
    for (const [target, visits] of counts) rows.push({ pageKey: key, targetKey: target, day, visits });
  }
  const afterLists = rank(rows);

  // The spammer: for every box, an unrelated article just below it (ranked 6th–30th with readers'
  // co-visits counted, so not shown), clicked 500 times from one address.
  const learned = decayCovisits(rows, NOW, settings);
  const spam = new Map<string, string>();
  for (const key of queries) {
    const pool = judged.index.related(key, { limit: settings.candidatePool, now: NOW, covisits: learned.get(key) }).map((article) => article.pageKey);
    const target = pool.slice(K).find((candidate) => !isRelevant(judged, key, candidate));
    if (target) spam.set(key, target);
  }
  const entered = (lists: Map<string, string[]>) => {
    let count = 0;
    for (const [key, target] of spam) if (lists.get(key)!.includes(target)) count += 1;
    return spam.size ? Math.round((count / spam.size) * 1000) / 1000 : 0;
  };
  const uncapped = [...rows, ...[...spam].map(([pageKey, targetKey]) => ({ pageKey, targetKey, day, visits: 500 }))];
  const capped = [...rows, ...[...spam].slice(0, COVISITS_PER_ADDRESS_PER_DAY).map(([pageKey, targetKey]) => ({ pageKey, targetKey, day, visits: 1 }))];
  // Without the spam, none of those articles is shown (the reference for "boxes entered").
  const reference = entered(afterLists);
  const uncappedLists = rank(uncapped);
  const cappedLists = rank(capped);
  const strip = ({ ctr: _, ...rest }: Quality & { ctr: number }) => rest;
  return {
    pages: queries.length,
    sessionsPerPage,
    before: quality(shown),
    afterClicks: quality(afterLists),
    spamTargetsShownWithoutSpam: reference,
    spamUncapped: { boxesEntered: entered(uncappedLists), quality: strip(quality(uncappedLists)) },
    spamCapped: { boxesEntered: entered(cappedLists), quality: strip(quality(cappedLists)) },
  };
}
