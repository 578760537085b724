import { stemmer } from 'stemmer';
import type { ArticleDocument } from './recommender.ts';
import type { RelatedSettings } from './settings.ts';
import { tokenize } from './tokenize.ts';
import { Postings } from './postings.ts';
import { TopK } from './top-k.ts';

const DAY_MS = 86_400_000;
/** However long the page, its query stops here (bounds query time on sites of book-length texts). */
const MAX_QUERY_TERMS = 400;

interface Entry {
  article: ArticleDocument;
  /** Term ids and their field-weighted frequencies, sorted by term id. */
  terms: Int32Array;
  frequencies: Float32Array;
  /** Document weight per term (saturated or log-scaled tf); the posting weight. */
  weights: Float32Array;
  /** Euclidean norm of the TF-IDF vector when the entry was added. */
  norm: number;
  /** Field-weighted word count. */
  length: number;
  /** Publication time in ms, or NaN. */
  time: number;
  /** Never shown (unpublished or excluded), but still describes its own page. */
  hidden: boolean;
}

export interface RankOptions {
  limit: number;
  /** Reference time for recency decay and embargoes (ms since epoch). */
  now: number;
  /** Comment counts by page key; missing means 0. */
  commentCounts?: ReadonlyMap<string, number>;
  /** Page keys editors pinned for this page, shown first in this order. */
  pins?: readonly string[];
  /** Co-visits from this page (target page key → decayed distinct addresses), past the site's threshold. */
  covisits?: ReadonlyMap<string, number>;
  /** Extra page keys never to show for this query. */
  exclude?: ReadonlySet<string>;
}

export interface Scored {
  article: ArticleDocument;
  score: number;
}

/**
 * One site's articles: an inverted index over field-weighted terms with per-document weights
 * and norms computed when each article is added. Adding, updating or removing an article touches
 * only that article's postings (removed entries are tombstoned and compacted lazily).
 */
export class RelatedIndex {
  private readonly termIds = new Map<string, number>();
  private readonly postings: Postings[] = [];
  private readonly documentFrequency: number[] = [];
  private readonly entries: (Entry | undefined)[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private totalLength = 0;
  /** Articles of the batch being added whose length is already in `totalLength` but not yet in `size`. */
  private pendingEntries = 0;
  private deadPostings = 0;
  private livePostings = 0;
  /** Scratch accumulators reused by every query (one query at a time: JS is single-threaded). */
  private scores = new Float64Array(0);
  private touched = new Int32Array(0);
  private readonly stemCache = new Map<string, string>();

  constructor(
    readonly settings: RelatedSettings,
    articles: readonly ArticleDocument[] = [],
  ) {
    this.upsert(articles);
  }

  get size(): number {
    return this.slotOf.size;
  }

  has(pageKey: string): boolean {
    return this.slotOf.has(pageKey);
  }

  get(pageKey: string): ArticleDocument | undefined {
    const slot = this.slotOf.get(pageKey);
    return slot === undefined ? undefined : this.entries[slot]!.article;
  }

  articles(): IterableIterator<ArticleDocument> {
    const entries = this.entries;
    return (function* () {
      for (const entry of entries) if (entry) yield entry.article;
    })();
  }

  upsert(articles: readonly ArticleDocument[]): void {
    // Two passes so a batch's own words count in each other's IDF (matters for the first build).
    const prepared = articles.map((article) => {
      this.removeOne(article.pageKey);
      return { article, counts: this.countTerms(article) };
    });
    for (const { counts } of prepared) for (const term of counts.keys()) this.documentFrequency[term] = (this.documentFrequency[term] ?? 0) + 1;
    // The same for BM25's average length: every article of the batch is weighed against the average
    // of the whole site as it will be, not of the articles added before it (the first of a fresh
    // index would otherwise be normalised by an average of 1 word and all but vanish).
    for (const { counts } of prepared) this.totalLength += fieldWeightedLength(counts);
    this.pendingEntries = prepared.length;
    for (const { article, counts } of prepared) {
      this.addEntry(article, counts);
      this.pendingEntries -= 1;
    }
    // Norms use IDF, which needs the whole batch counted (and in BM25 the average length).
    for (const { article } of prepared) this.computeNorm(this.entries[this.slotOf.get(article.pageKey)!]!);
    this.maybeCompact();
    // After a bulk load, build every champion list now rather than during the first queries.
    if (prepared.length >= 1_000) for (const list of this.postings) list.scanned(this.settings.championListSize);
  }

  remove(pageKeys: readonly string[]): void {
    for (const pageKey of pageKeys) this.removeOne(pageKey);
    this.maybeCompact();
  }

  /** Stems, field weights; term id → field-weighted frequency. */
  private countTerms(article: ArticleDocument): Map<number, number> {
    const { fieldWeights } = this.settings;
    const counts = new Map<number, number>();
    const add = (text: string | null, weight: number) => {
      if (!text || weight === 0) return;
      for (const word of tokenize(text)) {
        const id = this.termId(this.normalise(word));
        counts.set(id, (counts.get(id) ?? 0) + weight);
      }
    };
    add(article.title, fieldWeights.title);
    add(article.tags.join(' '), fieldWeights.tags);
    add(article.section, fieldWeights.section);
    add(article.description, fieldWeights.description);
    const { leadWords, leadWeight } = this.settings;
    if (leadWords > 0 && leadWeight !== 1 && article.body) {
      // The opening of a long text says what it is about; what follows wanders (a lead, not a summary).
      const words = tokenize(article.body);
      words.forEach((word, i) => {
        const id = this.termId(this.normalise(word));
        counts.set(id, (counts.get(id) ?? 0) + fieldWeights.body * (i < leadWords ? leadWeight : 1));
      });
    } else add(article.body, fieldWeights.body);
    return counts;
  }

  private normalise(word: string): string {
    if (!this.settings.stemming || !/^[a-z]+$/.test(word)) return word;
    let stem = this.stemCache.get(word);
    if (stem === undefined) {
      stem = stemmer(word);
      if (this.stemCache.size < 200_000) this.stemCache.set(word, stem);
    }
    return stem;
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.postings.length;
      this.termIds.set(term, id);
      this.postings.push(new Postings());
      this.documentFrequency.push(0);
    }
    return id;
  }

  /** IDF memo per term, valid while the term's document frequency and the site's size are those it was computed for. */
  private idfValue = new Float64Array(0);
  private idfDf = new Int32Array(0);
  private idfSize = new Int32Array(0);

  private idf(term: number): number {
    const df = this.documentFrequency[term] ?? 0;
    if (df === 0) return 0;
    const size = this.size;
    if (term < this.idfDf.length) {
      if (this.idfDf[term] === df && this.idfSize[term] === size) return this.idfValue[term]!;
    } else {
      const capacity = Math.max(1024, this.postings.length * 2);
      const value = new Float64Array(capacity);
      value.set(this.idfValue);
      this.idfValue = value;
      const dfs = new Int32Array(capacity);
      dfs.set(this.idfDf);
      this.idfDf = dfs;
      const sizes = new Int32Array(capacity);
      sizes.set(this.idfSize);
      this.idfSize = sizes;
    }
    const idf = this.computeIdf(df, size);
    this.idfValue[term] = idf;
    this.idfDf[term] = df;
    this.idfSize[term] = size;
    return idf;
  }

  private computeIdf(df: number, size: number): number {
    const n = Math.max(size, df);
    // BM25's probabilistic IDF; for TF-IDF the smoothed form, which never reaches zero.
    return this.settings.scoring === 'bm25' ? Math.log(1 + (n - df + 0.5) / (df + 0.5)) : Math.log((1 + n) / (1 + df)) + 1;
  }

  private averageLength(): number {
    const count = this.size + this.pendingEntries;
    return count === 0 ? 1 : this.totalLength / count;
  }

  private documentWeight(frequency: number, length: number): number {
    const { scoring, bm25, sublinearTf } = this.settings;
    if (scoring === 'bm25') {
      const { k1, b } = bm25;
      return (frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * length) / this.averageLength()));
    }
    return sublinearTf ? 1 + Math.log(frequency) : frequency;
  }

  private addEntry(article: ArticleDocument, counts: Map<number, number>): void {
    const terms = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const frequencies = Float32Array.from(terms, (term) => counts.get(term)!);
    const length = fieldWeightedLength(counts);
    const weights = new Float32Array(terms.length);
    for (let i = 0; i < terms.length; i += 1) weights[i] = this.documentWeight(frequencies[i]!, length);
    const slot = this.freeSlots.pop() ?? this.entries.length;
    const time = article.publishedAt ? Date.parse(article.publishedAt) : Number.NaN;
    const hidden = article.published === false || this.settings.excludePaths.some((prefix) => article.pageKey.startsWith(prefix));
    this.entries[slot] = { article, terms, frequencies, weights, norm: 0, length, time, hidden };
    this.slotOf.set(article.pageKey, slot);
    for (let i = 0; i < terms.length; i += 1) this.postings[terms[i]!]!.push(slot, weights[i]!);
    this.livePostings += terms.length;
  }

  private computeNorm(entry: Entry): void {
    let sum = 0;
    for (let i = 0; i < entry.terms.length; i += 1) sum += (entry.weights[i]! * this.idf(entry.terms[i]!)) ** 2;
    entry.norm = Math.sqrt(sum);
  }

  private removeOne(pageKey: string): void {
    const slot = this.slotOf.get(pageKey);
    if (slot === undefined) return;
    const entry = this.entries[slot]!;
    this.slotOf.delete(pageKey);
    this.entries[slot] = undefined;
    this.totalLength -= entry.length;
    for (const term of entry.terms) {
      this.documentFrequency[term] = this.documentFrequency[term]! - 1;
      this.postings[term]!.dead += 1;
    }
    this.livePostings -= entry.terms.length;
    this.deadPostings += entry.terms.length;
    // A freed slot is reused only after compaction, so no stale posting can point at a new article.
    this.pendingFree.push(slot);
  }

  private readonly pendingFree: number[] = [];

  /** Drops tombstoned postings once they are a quarter of all postings: amortised O(1) per write. */
  private maybeCompact(): void {
    if (this.deadPostings <= Math.max(1_000, this.livePostings / 4)) return;
    const alive = (slot: number) => this.entries[slot] !== undefined;
    for (const list of this.postings) if (list.dead > 0) list.compact(alive);
    this.deadPostings = 0;
    this.freeSlots.push(...this.pendingFree);
    this.pendingFree.length = 0;
  }

  /** TF-IDF cosine of two indexed articles (used for duplicates and diversity). */
  private similarity(a: Entry, b: Entry): number {
    if (a.norm === 0 || b.norm === 0) return 0;
    let i = 0;
    let j = 0;
    let dot = 0;
    while (i < a.terms.length && j < b.terms.length) {
      const ta = a.terms[i]!;
      const tb = b.terms[j]!;
      if (ta === tb) {
        const idf = this.idf(ta);
        dot += a.weights[i]! * b.weights[j]! * idf * idf;
        i += 1;
        j += 1;
      } else if (ta < tb) i += 1;
      else j += 1;
    }
    return dot / (a.norm * b.norm);
  }

  private visible(entry: Entry, now: number): boolean {
    return !entry.hidden && !(entry.time > now);
  }

  /**
   * Relevance candidates for `pageKey`, best first: the page's strongest words looked up in the
   * inverted index, scored by cosine (TF-IDF) or BM25, top `pool` kept in a small heap.
   */
  candidates(pageKey: string, pool: number, now: number, exclude?: ReadonlySet<string>): Scored[] {
    const slotOfCurrent = this.slotOf.get(pageKey);
    if (slotOfCurrent === undefined) return [];
    const current = this.entries[slotOfCurrent]!;
    const { queryTerms, queryTermShare, maxDocumentShare, scoring } = this.settings;
    // The cap on common words only matters on large sites; on a small one every shared word counts.
    const maxDf = Math.max(50, maxDocumentShare * this.size);

    // Query weights: the page's own weight × IDF; keep only the strongest words.
    const query: { term: number; weight: number }[] = [];
    for (let i = 0; i < current.terms.length; i += 1) {
      const term = current.terms[i]!;
      if (this.documentFrequency[term]! > maxDf || this.documentFrequency[term]! < 2) continue;
      const idf = this.idf(term);
      const weight = scoring === 'bm25' ? idf * current.weights[i]! : current.weights[i]! * idf * idf;
      query.push({ term, weight });
    }
    // A long text has more to say than a brief: its query keeps a share of its words, never fewer than `queryTerms`.
    const kept = Math.min(MAX_QUERY_TERMS, Math.max(queryTerms, Math.ceil(queryTermShare * query.length)));
    if (queryTerms > 0 && query.length > kept) {
      query.sort((a, b) => b.weight - a.weight);
      query.length = kept;
    }

    if (this.scores.length < this.entries.length) {
      this.scores = new Float64Array(this.entries.length * 2 + 16);
      this.touched = new Int32Array(this.entries.length * 2 + 16);
    }
    const scores = this.scores;
    const touched = this.touched;
    let touchedCount = 0;
    for (const { term, weight } of query) {
      const list = this.postings[term]!.scanned(this.settings.championListSize);
      const slots = list.slots;
      const weights = list.weights;
      for (let i = 0; i < list.length; i += 1) {
        const slot = slots[i]!;
        const previous = scores[slot]!;
        if (previous === 0) touched[touchedCount++] = slot;
        scores[slot] = previous + weight * weights[i]!;
      }
    }

    const excludedSlots = new Set<number>();
    for (const key of exclude ?? []) {
      const slot = this.slotOf.get(key);
      if (slot !== undefined) excludedSlots.add(slot);
    }
    const heap = new TopK(pool);
    const tfidf = scoring === 'tfidf';
    const entries = this.entries;
    for (let i = 0; i < touchedCount; i += 1) {
      const slot = touched[i]!;
      let score = scores[slot]!;
      scores[slot] = 0;
      if (slot === slotOfCurrent) continue;
      // BM25 scores are final here: most candidates fall below the heap's worst and stop early
      // (the same filters follow, only in a cheaper order).
      if (!tfidf && !heap.mayAccept(score)) continue;
      const entry = entries[slot];
      if (!entry || !this.visible(entry, now) || excludedSlots.has(slot)) continue;
      if (tfidf) score = entry.norm > 0 ? score / entry.norm : 0;
      if (score > 0) heap.offer(slot, score);
    }
    return heap.sorted().map(({ slot, score }) => ({ article: this.entries[slot]!.article, score }));
  }

  /** The full answer for one page: pins, then ranked relevance with boosts, then the fallback. */
  related(pageKey: string, options: RankOptions): ArticleDocument[] {
    const { limit, now, commentCounts, pins = [] } = options;
    const s = this.settings;
    const exclude = new Set(options.exclude ?? []);
    exclude.add(pageKey);
    const result: ArticleDocument[] = [];
    const taken = new Set<string>();
    const take = (article: ArticleDocument) => {
      result.push(article);
      taken.add(article.pageKey);
    };

    for (const pin of pins) {
      if (result.length >= limit) break;
      const slot = this.slotOf.get(pin);
      const entry = slot === undefined ? undefined : this.entries[slot]!;
      if (entry && !exclude.has(pin) && !taken.has(pin) && this.visible(entry, now)) take(entry.article);
    }
    if (result.length >= limit) return result;

    const candidates = this.candidates(pageKey, Math.max(s.candidatePool, limit * 2), now, exclude);
    const maxComments = commentCounts && commentCounts.size > 0 ? Math.max(...commentCounts.values()) : 0;
    const section = sectionKey(this.get(pageKey)?.section);
    const current = this.entries[this.slotOf.get(pageKey)!];
    const bestScore = candidates[0]?.score || 1;
    const covisits = options.covisits;
    const maxCovisits = covisits && covisits.size > 0 ? Math.max(...covisits.values()) : 0;
    const boosted = candidates
      .filter(({ article }) => !taken.has(article.pageKey))
      .map(({ article, score }) => {
        let boostedScore = score;
        // BM25 asks "does B contain A's words"; the cosine also asks "is B about little else". Long
        // texts that merely mention A's words score well on the first and poorly on the second.
        if (s.cosineWeight > 0 && current) {
          boostedScore = score / bestScore + s.cosineWeight * this.similarity(current, this.entries[this.slotOf.get(article.pageKey)!]!);
        }
        if (s.recencyHalfLifeDays > 0 && s.recencyWeight > 0) {
          const time = this.entries[this.slotOf.get(article.pageKey)!]!.time;
          const ageDays = Number.isNaN(time) ? Number.POSITIVE_INFINITY : Math.max(0, (now - time) / DAY_MS);
          boostedScore *= 1 - s.recencyWeight + s.recencyWeight * 0.5 ** (ageDays / s.recencyHalfLifeDays);
        }
        if (s.discussionWeight > 0 && maxComments > 0) {
          const comments = commentCounts!.get(article.pageKey) ?? 0;
          boostedScore *= 1 + (s.discussionWeight * Math.log1p(comments)) / Math.log1p(maxComments);
        }
        // Readers of this page went on to that one: a boost within the relevant pool, never a way in.
        if (s.covisitWeight > 0 && maxCovisits > 0) boostedScore *= 1 + (s.covisitWeight * (covisits!.get(article.pageKey) ?? 0)) / maxCovisits;
        // The site's own classification: same section, same kind of story (a boost, not a filter).
        if (s.sectionWeight > 0 && section && sectionKey(article.section) === section) boostedScore *= 1 + s.sectionWeight;
        return { entry: this.entries[this.slotOf.get(article.pageKey)!]!, score: boostedScore };
      })
      .sort((a, b) => b.score - a.score);

    // Greedy selection: skip near-duplicates of what is already shown, and with `diversity`
    // trade relevance against similarity to the picks so far (maximal marginal relevance).
    const topScore = boosted[0]?.score ?? 1;
    const pinnedEntries = [...taken].map((key) => this.entries[this.slotOf.get(key)!]!);
    // Each candidate's redundancy (highest similarity to the pins and picks so far) is kept up to
    // date as picks are made, so every pair's similarity is computed once.
    const remaining = boosted.map(({ entry, score }) => {
      let redundancy = 0;
      let duplicate = false;
      for (const other of pinnedEntries) {
        const similarity = this.similarity(entry, other);
        if (similarity >= s.duplicateThreshold) duplicate = true;
        if (similarity > redundancy) redundancy = similarity;
      }
      return { entry, score, redundancy, duplicate };
    });
    while (result.length < limit && remaining.length > 0) {
      let bestIndex = -1;
      let bestValue = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < remaining.length; i += 1) {
        const { score, redundancy, duplicate } = remaining[i]!;
        if (duplicate) continue;
        const value = score / topScore - s.diversity * redundancy;
        if (value > bestValue) {
          bestValue = value;
          bestIndex = i;
        }
        // Without diversity the list is already in order: the first non-duplicate wins.
        if (s.diversity === 0) break;
      }
      if (bestIndex < 0) break;
      const [chosen] = remaining.splice(bestIndex, 1);
      take(chosen!.entry.article);
      if (result.length >= limit) break;
      // Near-duplicates of the chosen one are dropped now; the rest remember how close they came.
      let kept = 0;
      for (let i = 0; i < remaining.length; i += 1) {
        const candidate = remaining[i]!;
        const similarity = this.similarity(candidate.entry, chosen!.entry);
        if (similarity >= s.duplicateThreshold) continue;
        if (similarity > candidate.redundancy) candidate.redundancy = similarity;
        remaining[kept++] = candidate;
      }
      remaining.length = kept;
    }

    if (result.length < limit) {
      for (const article of this.fallback(limit - result.length, now, commentCounts, (key) => exclude.has(key) || taken.has(key))) take(article);
    }
    return result;
  }

  /** Most recent (or most discussed, then most recent) visible articles. */
  fallback(count: number, now: number, commentCounts: ReadonlyMap<string, number> | undefined, skip: (pageKey: string) => boolean): ArticleDocument[] {
    const heap = new TopK(count);
    const byDiscussion = this.settings.fallback === 'discussed' && commentCounts !== undefined;
    for (let slot = 0; slot < this.entries.length; slot += 1) {
      const entry = this.entries[slot];
      if (!entry || !this.visible(entry, now) || skip(entry.article.pageKey)) continue;
      // Newer first, undated last; comments dominate when the fallback is "discussed".
      const recency = Number.isNaN(entry.time) ? 0 : entry.time / 1e13 + 0.5;
      const score = byDiscussion ? (commentCounts.get(entry.article.pageKey) ?? 0) + recency : recency;
      heap.offer(slot, score, entry.article.pageKey);
    }
    return heap.sorted().map(({ slot }) => this.entries[slot]!.article);
  }

  /** Rough bytes held by postings and entries (for the scale benchmark's report). */
  stats(): { articles: number; terms: number; postings: number } {
    return { articles: this.size, terms: this.termIds.size, postings: this.livePostings };
  }
}

/** Sections compare by their words, whatever the case and punctuation ("Food & Markets" = "food markets"). */
function sectionKey(section: string | null | undefined): string {
  return tokenize(section).join(' ');
}

/** Field-weighted word count of an article's term counts. */
function fieldWeightedLength(counts: ReadonlyMap<number, number>): number {
  let length = 0;
  for (const frequency of counts.values()) length += frequency;
  return length;
}
