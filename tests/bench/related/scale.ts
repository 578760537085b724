/**
 * Scale of "You may also like": `count` synthetic articles made from a corpus; build time, memory,
 * query p50/p99, and the cost of adding, updating and deleting one article.
 */
import { RelatedIndex, resolveRelatedSettings, type ArticleDocument, type RelatedSettingsOverride } from '@parley/server/recommend';
import type { CorpusDocument } from './corpora.ts';
import { NOW } from './quality.ts';

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

export async function scale(corpus: readonly CorpusDocument[], count: number, override: RelatedSettingsOverride, queryCount: number) {
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
  const cpuTimes: number[] = [];
  for (let i = 0; i < queryCount + 200; i += 1) {
    const key = `/scale/${Math.floor(random() * count)}`;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    index.related(key, { limit: 5, now: NOW });
    const cpu = process.cpuUsage(cpu0);
    // The first 200 warm the JIT. CPU time as well as wall time: on a shared machine the wall
    // clock also counts the time other processes held the core.
    if (i >= 200) {
      times.push(performance.now() - t0);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);

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
    queryCpuP50Ms: ms(percentile(cpuTimes, 50)),
    queryCpuP99Ms: ms(percentile(cpuTimes, 99)),
    addMs: median(writes.add),
    updateMs: median(writes.update),
    deleteMs: median(writes.delete),
  };
}
