/**
 * Choosing the ranker's defaults across corpora: a small grid of settings evaluated on every
 * corpus, then leave-one-corpus-out (for each corpus, the settings that do best on the others,
 * scored on it), and the effect of each ranking change on every corpus.
 */
import type { RelatedSettings, RelatedSettingsOverride } from '@parley/server/recommend';
import type { Corpus } from './corpora.ts';
import { BASELINE, evaluate, evaluateJudged, judge, mergeSettings, type Quality } from './quality.ts';

/** Settings the index is built with (one build per combination). */
const INDEX_GRID: RelatedSettingsOverride[] = [1, 3].flatMap((title) => [0.5, 0.75].map((b) => ({ fieldWeights: { title }, bm25: { k1: 3, b } })));
/** Settings read at query time, tried on each build. */
const QUERY_GRID: Partial<RelatedSettings>[] = [0, 1, 2].flatMap((cosineWeight) => [40, 80].map((queryTerms) => ({ cosineWeight, queryTerms })));

const describe = (index: RelatedSettingsOverride, query: Partial<RelatedSettings>) =>
  `title ${index.fieldWeights!.title}, b ${index.bm25!.b}, cosine ${query.cosineWeight}, ${query.queryTerms} terms`;

/** P@5 of every grid point on one corpus. */
function gridScores(corpus: Corpus): Map<string, Quality> {
  const scores = new Map<string, Quality>();
  for (const indexSettings of INDEX_GRID) {
    const judged = judge(corpus.documents, indexSettings);
    for (const query of QUERY_GRID) {
      Object.assign(judged.index.settings, query);
      scores.set(describe(indexSettings, query), evaluateJudged(judged));
    }
  }
  return scores;
}

/** Relative gain of P@5 over plain TF-IDF on one corpus. */
const gain = (ranker: Quality, baseline: Quality) => ranker.micro / baseline.micro - 1;

export interface LeaveOneOutRow {
  heldOut: string;
  chosen: string;
  /** Mean gain on the other corpora with the chosen settings. */
  trainGain: number;
  heldOutP5: number;
  baselineP5: number;
  heldOutGain: number;
}

/**
 * Every grid point on every corpus (the expensive part, done once), then for each held-out corpus
 * the point with the best mean gain over TF-IDF on the others. Gains, not raw precision, so an
 * easy corpus does not outvote a hard one.
 */
export function leaveOneOut(corpora: readonly Corpus[], log: (line: string) => void = () => {}) {
  const baselines = corpora.map((corpus) => evaluate(corpus.documents, BASELINE));
  const perCorpus = corpora.map((corpus) => gridScores(corpus));
  const points = [...perCorpus[0]!.keys()].map((name) => {
    const scores = perCorpus.map((scores) => scores.get(name)!);
    log(`  ${name.padEnd(40)} ${scores.map((q, i) => `${corpora[i]!.name} ${q.micro.toFixed(3)}`).join('  ')}`);
    return { name, scores };
  });
  const rows: LeaveOneOutRow[] = corpora.map((corpus, held) => {
    const meanGain = (point: (typeof points)[number]) => {
      const others = point.scores.filter((_, i) => i !== held).map((q, i) => gain(q, baselines.filter((_, j) => j !== held)[i]!));
      return others.reduce((a, b) => a + b, 0) / others.length;
    };
    const best = points.reduce((a, b) => (meanGain(b) > meanGain(a) ? b : a));
    return {
      heldOut: corpus.name,
      chosen: best.name,
      trainGain: meanGain(best),
      heldOutP5: best.scores[held]!.micro,
      baselineP5: baselines[held]!.micro,
      heldOutGain: gain(best.scores[held]!, baselines[held]!),
    };
  });
  const overall = points.reduce((a, b) => {
    const mean = (p: typeof a) => p.scores.reduce((sum, q, i) => sum + gain(q, baselines[i]!), 0) / corpora.length;
    return mean(b) > mean(a) ? b : a;
  });
  return { rows, overall: overall.name, baselines };
}

/** Each ranking change, added on top of the previous ones, measured on every corpus. */
export const CHANGES: { change: string; settings: RelatedSettingsOverride }[] = [
  { change: 'previous defaults (Reuters-tuned)', settings: { fieldWeights: { title: 1 }, bm25: { k1: 3, b: 0.5 }, cosineWeight: 0, queryTerms: 40 } },
  { change: '+ title weight 3', settings: { fieldWeights: { title: 3 } } },
  { change: '+ BM25 b 0.75 (more length normalisation)', settings: { bm25: { k1: 3, b: 0.75 } } },
  { change: '+ cosine re-ranking (weight 2)', settings: { cosineWeight: 2 } },
  { change: '+ 80 query terms (was 40)', settings: { queryTerms: 80 } },
  { change: '  (tried) 10% of distinct words, min 40', settings: { queryTerms: 40, queryTermShare: 0.1 } },
  { change: '  (tried) lead: first 300 words x2', settings: { leadWords: 300, leadWeight: 2 } },
  { change: '  (tried) cosine weight 1', settings: { cosineWeight: 1 } },
];

export function changes(corpora: readonly Corpus[], log: (line: string) => void) {
  const baselines = corpora.map((corpus) => evaluate(corpus.documents, BASELINE));
  log(`${'change'.padEnd(44)} ${corpora.map((c) => c.name.padStart(16)).join('')}`);
  log(`${'plain TF-IDF cosine'.padEnd(44)} ${baselines.map((q) => q.micro.toFixed(3).padStart(16)).join('')}`);
  let settings: RelatedSettingsOverride = {};
  const rows = [];
  for (const step of CHANGES) {
    // "(tried)" rows are measured on top of the kept ones and then dropped again.
    const measured = mergeSettings(settings, step.settings);
    if (!step.change.includes('(tried)')) settings = measured;
    const scores = corpora.map((corpus) => evaluate(corpus.documents, measured));
    rows.push({ change: step.change.trim(), p5: scores.map((q) => q.micro) });
    log(`${step.change.padEnd(44)} ${scores.map((q, i) => `${q.micro.toFixed(3)} (${signed(gain(q, baselines[i]!))})`.padStart(16)).join('')}`);
  }
  return rows;
}

export function signed(value: number): string {
  const percent = Math.round(value * 1000) / 10;
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%`;
}
