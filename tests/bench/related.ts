/**
 * Quality and speed benchmark for "You may also like", on several labelled corpora at once.
 *
 *   pnpm bench:related                               every built-in corpus: ranker vs plain TF-IDF, one table
 *   pnpm bench:related -- --corpus sotu,FILE.json    built-in names (reuters, sotu, caniuse, lists) or JSON files
 *                                                    of [{ id, title, body, tags?, topics }]
 *   pnpm bench:related -- --loo                      leave-one-corpus-out choice of the defaults over a grid
 *   pnpm bench:related -- --changes                  each ranking change's effect on every corpus
 *   pnpm bench:related -- --clicks                   readers' clicks simulated: re-ranking by co-visits, and one spamming address
 *   pnpm bench:related -- --scale 100000             build time, memory, query p50/p99, add/update/delete
 *   --settings '{"diversity":0}'                     override ranker settings (JSON, partial)
 *   --max-docs 3000                                  subsample each corpus to at most this many documents
 *
 * It runs the server's own ranker (`@parley/server/recommend`). The last line printed is JSON.
 */
import { parseArgs } from 'node:util';
import type { RelatedSettingsOverride } from '@parley/server/recommend';
import { simulateClicks } from './related/clicks.ts';
import { BUILT_IN_CORPORA, loadCorpora, type Corpus } from './related/corpora.ts';
import { BASELINE, evaluate, type Quality } from './related/quality.ts';
import { scale } from './related/scale.ts';
import { changes, leaveOneOut, signed } from './related/validate.ts';

function qualityTable(corpora: readonly Corpus[], override: RelatedSettingsOverride) {
  const header = ['corpus', 'shape', 'docs', 'queries', 'P@5 TF-IDF', 'P@5 ranker', 'gain', 'per-topic TF-IDF', 'per-topic ranker', 'nDCG@5 TF-IDF', 'nDCG@5 ranker', 'coverage TF-IDF', 'coverage ranker'];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  const rows = [];
  for (const corpus of corpora) {
    const baseline = evaluate(corpus.documents, BASELINE);
    const ranker = evaluate(corpus.documents, override);
    const f = (value: number) => value.toFixed(3);
    console.log(
      `| ${[corpus.name, corpus.shape, corpus.documents.length, ranker.queries, f(baseline.micro), f(ranker.micro), signed(ranker.micro / baseline.micro - 1), f(baseline.perTopic), f(ranker.perTopic), f(baseline.ndcg), f(ranker.ndcg), f(baseline.coverage), f(ranker.coverage)].join(' | ')} |`,
    );
    rows.push({ corpus: corpus.name, documents: corpus.documents.length, baseline, ranker });
  }
  return rows as { corpus: string; documents: number; baseline: Quality; ranker: Quality }[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    // `pnpm bench:related -- --corpus F` hands the script a literal `--` (one per pnpm hop): drop them.
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      corpus: { type: 'string', multiple: true },
      'max-docs': { type: 'string', default: '3000' },
      scale: { type: 'string' },
      queries: { type: 'string', default: '2000' },
      settings: { type: 'string' },
      loo: { type: 'boolean', default: false },
      changes: { type: 'boolean', default: false },
      clicks: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const names = (values.corpus ?? [Object.keys(BUILT_IN_CORPORA).join(',')]).flatMap((value) => value.split(',')).filter(Boolean);
  const override: RelatedSettingsOverride = values.settings ? (JSON.parse(values.settings) as RelatedSettingsOverride) : {};

  if (values.scale) {
    const count = Number(values.scale);
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new Error('--scale takes a whole number of articles up to 1000000');
    const [corpus] = await loadCorpora(values.corpus ? names.slice(0, 1) : ['reuters'], Number.MAX_SAFE_INTEGER);
    const result = await scale(corpus!.documents, count, override, Math.min(Number(values.queries), 20_000));
    console.log(JSON.stringify({ corpus: corpus!.name, scale: result }));
    return;
  }

  const corpora = await loadCorpora(names, Number(values['max-docs']));
  if (values.loo) {
    console.log('grid (P@5 micro per corpus):');
    const { rows, overall, baselines } = leaveOneOut(corpora, (line) => console.log(line));
    console.log('\n| held-out corpus | settings chosen on the others | mean gain on the others | held-out P@5 | TF-IDF P@5 | held-out gain |');
    console.log('|---|---|---|---|---|---|');
    for (const row of rows) console.log(`| ${row.heldOut} | ${row.chosen} | ${signed(row.trainGain)} | ${row.heldOutP5.toFixed(3)} | ${row.baselineP5.toFixed(3)} | ${signed(row.heldOutGain)} |`);
    console.log(`\nbest on all corpora together: ${overall}`);
    console.log(JSON.stringify({ leaveOneOut: rows, overall, baselines: baselines.map((q) => q.micro) }));
    return;
  }
  if (values.changes) {
    const rows = changes(corpora, (line) => console.log(line));
    console.log(JSON.stringify({ corpora: corpora.map((c) => c.name), changes: rows }));
    return;
  }
  if (values.clicks) {
    const results = [];
    console.log('| corpus | P@5 / nDCG@5 / clicks per box, before | after readers\' co-visits | spam counted raw: boxes entered, P@5 | spam capped per address: boxes entered, P@5 |');
    console.log('|---|---|---|---|---|');
    for (const corpus of corpora) {
      const sim = simulateClicks(corpus.documents, override);
      const q = (x: { micro: number; ndcg: number; ctr?: number }) => `${x.micro.toFixed(3)} / ${x.ndcg.toFixed(3)}${x.ctr !== undefined ? ` / ${x.ctr.toFixed(3)}` : ''}`;
      console.log(`| ${corpus.name} | ${q(sim.before)} | ${q(sim.afterClicks)} | ${(sim.spamUncapped.boxesEntered * 100).toFixed(0)}%, ${sim.spamUncapped.quality.micro.toFixed(3)} | ${(sim.spamCapped.boxesEntered * 100).toFixed(0)}%, ${sim.spamCapped.quality.micro.toFixed(3)} |`);
      results.push({ corpus: corpus.name, ...sim });
    }
    console.log(JSON.stringify({ clicks: results }));
    return;
  }
  const rows = qualityTable(corpora, override);
  console.log(JSON.stringify({ quality: rows }));
}

await main();
