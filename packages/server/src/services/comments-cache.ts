import { gzipSync } from 'node:zlib';
import { pageKey } from './live/notifier.ts';
import { metrics } from '../observability/metrics.ts';

// Bound once: a labelled child costs no label lookup per read.
const hit = metrics.cacheLookups.labels({ cache: 'thread', result: 'hit' });
const miss = metrics.cacheLookups.labels({ cache: 'thread', result: 'miss' });
const counted = (found: CachedBody | undefined) => ((found ? hit : miss).inc(), found);

/** Bounds of one process's first-page cache: bytes first (what memory is), entries and aliases as well. */
export interface ThreadCacheLimits {
  /** Response bytes (plain + gzip) plus keys, summed over entries; default 16 MB. */
  maxBytes?: number;
  maxEntries?: number;
  /** Raw query strings remembered (after normalisation); their bytes count against `maxAliasBytes`. */
  maxAliases?: number;
  maxAliasBytes?: number;
}

export const THREAD_CACHE_DEFAULTS = {
  maxBytes: 16 * 1024 * 1024,
  maxEntries: 4_000,
  maxAliases: 20_000,
  maxAliasBytes: 2 * 1024 * 1024,
} as const satisfies Required<ThreadCacheLimits>;

// What a Map entry, its key strings and the record around a body cost beyond the bytes themselves (measured roughly).
const ENTRY_OVERHEAD_BYTES = 256;
const ALIAS_OVERHEAD_BYTES = 128;
const MAX_PAGE_GENERATIONS = 8_000;

/**
 * The bytes in a memory block of their own. A small `Buffer.from(string)` is a view into Node's
 * shared 8 kB pool, and `gzipSync` answers a view into its 16 kB output chunk: a cache that keeps
 * such a view keeps the whole block, 50–100 times what it counts (50,000 distinct query strings
 * held +60 MB of ArrayBuffers for a few hundred kB of bodies). Copy when the view is not the block.
 */
export function ownBytes(view: Uint8Array): Uint8Array {
  const own = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view : new Uint8Array(view);
  // As a Buffer over that same block (no copy): Node's HTTP writes a Buffer as it is, while a
  // plain Uint8Array costs it a type check per write that showed as ~8% of a cached read's CPU.
  return Buffer.isBuffer(own) ? own : Buffer.from(own.buffer, own.byteOffset, own.byteLength);
}

/** A rendered response: UTF-8 bytes, and gzip made on first demand. Both own their memory (see `ownBytes`). */
export class CachedBody {
  readonly bytes: Uint8Array;
  private gzipped: Uint8Array | undefined;
  /** Set by the cache holding this body, so the gzip copy counts against its byte budget. */
  onGzip: ((bytes: number) => void) | undefined;
  constructor(bytes: Uint8Array) {
    this.bytes = ownBytes(bytes);
  }
  get gzip(): Uint8Array {
    if (this.gzipped === undefined) {
      this.gzipped = ownBytes(gzipSync(this.bytes));
      this.onGzip?.(this.gzipped.byteLength);
    }
    return this.gzipped;
  }
}

/**
 * One query string per meaning: parameters sorted by name (stable for repeated names), `+` and `%20`
 * decoded alike and re-encoded one way. Without this, `?page=/a+b&limit=20` and
 * `?limit=20&page=/a%20b` were two aliases of one page, and a client could multiply entries at will.
 */
export function normaliseQuery(raw: string): string {
  if (raw === '' || raw === '?') return '';
  const params = new URLSearchParams(raw.startsWith('?') ? raw.slice(1) : raw);
  params.sort();
  return params.toString();
}

interface Entry {
  page: string;
  body: CachedBody;
  size: number;
}

/**
 * Rendered `GET /api/comments` responses per page, so a read of an unchanged page costs a map
 * lookup: no query, no JSON, no UTF-8 encoding, no gzip. Writes on the page drop its entries. A
 * generation number per page keeps a read that started before a write from storing its (stale)
 * result after it. Per process: with several instances, each must also invalidate on the
 * notifier's events (see live/notifier.ts).
 *
 * Entries are keyed by the validated query; `alias` also remembers the (normalised) raw query string
 * that led there, so a repeat of the same URL skips even validation (same string, same validation
 * result). Least recently used entries go first once the bytes, entries or aliases exceed their bounds.
 */
export class ThreadCache {
  readonly #limits: Required<ThreadCacheLimits>;
  /** Insertion order is recency order: a hit moves its entry to the end. */
  readonly #entries = new Map<string, Entry>();
  readonly #byPage = new Map<string, Set<string>>();
  readonly #generations = new Map<string, number>();
  readonly #aliases = new Map<string, string>();
  #bytes = 0;
  #aliasBytes = 0;
  /** Bumped by `clear`: a read that began before it never stores its (possibly stale) page after it. */
  #epoch = 0;

  constructor(limits: ThreadCacheLimits = {}) {
    this.#limits = { ...THREAD_CACHE_DEFAULTS, ...limits };
  }

  /** Bytes, entries and aliases held now (tests and diagnostics). */
  get size(): { bytes: number; entries: number; aliases: number; aliasBytes: number } {
    return { bytes: this.#bytes, entries: this.#entries.size, aliases: this.#aliases.size, aliasBytes: this.#aliasBytes };
  }

  get(site: string, page: string, key: string): CachedBody | undefined {
    return counted(this.#touch(entryKey(pageKey(site, page), key)));
  }

  /** The cached response for a raw query string seen before, if the page has not changed since. */
  getByRaw(raw: string): CachedBody | undefined {
    const alias = normaliseQuery(raw);
    const id = this.#aliases.get(alias);
    if (id === undefined) return undefined;
    const body = this.#touch(id);
    if (body === undefined) this.#dropAlias(alias);
    else hit.inc(); // a miss here falls through to get(), which counts it
    return body;
  }

  generation(site: string, page: string): number {
    return this.#epoch * 1e9 + (this.#generations.get(pageKey(site, page)) ?? 0);
  }

  set(site: string, page: string, key: string, value: CachedBody, generation: number, raw?: string): void {
    const pageId = pageKey(site, page);
    if (this.#epoch * 1e9 + (this.#generations.get(pageId) ?? 0) !== generation) return;
    const id = entryKey(pageId, key);
    this.#delete(id);
    const entry: Entry = { page: pageId, body: value, size: value.bytes.byteLength + id.length * 2 + ENTRY_OVERHEAD_BYTES };
    value.onGzip = (bytes) => {
      if (this.#entries.get(id) !== entry) return;
      entry.size += bytes;
      this.#bytes += bytes;
      this.#evict();
    };
    this.#entries.set(id, entry);
    this.#bytes += entry.size;
    let ids = this.#byPage.get(pageId);
    if (!ids) this.#byPage.set(pageId, (ids = new Set()));
    ids.add(id);
    if (raw !== undefined) this.#setAlias(normaliseQuery(raw), id);
    this.#evict();
  }

  invalidate(site: string, page: string): void {
    const pageId = pageKey(site, page);
    for (const id of this.#byPage.get(pageId) ?? []) this.#delete(id);
    this.#generations.set(pageId, (this.#generations.get(pageId) ?? 0) + 1);
    // Generations of pages nobody reads any more must not pile up forever; dropping them all also
    // drops every entry, so no read that began before the reset can store a stale page after it.
    if (this.#generations.size > MAX_PAGE_GENERATIONS) this.clear();
  }

  /** Drops everything (changes may have been missed: another process wrote, a notifier reconnected). */
  clear(): void {
    this.#epoch++;
    this.#entries.clear();
    this.#byPage.clear();
    this.#generations.clear();
    this.#aliases.clear();
    this.#bytes = 0;
    this.#aliasBytes = 0;
  }

  #touch(id: string): CachedBody | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return entry.body;
  }

  #delete(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    this.#bytes -= entry.size;
    const ids = this.#byPage.get(entry.page);
    ids?.delete(id);
    if (ids?.size === 0) this.#byPage.delete(entry.page);
  }

  #evict(): void {
    while (this.#entries.size > 0 && (this.#bytes > this.#limits.maxBytes || this.#entries.size > this.#limits.maxEntries)) {
      this.#delete(this.#entries.keys().next().value!);
    }
  }

  #setAlias(alias: string, id: string): void {
    this.#dropAlias(alias);
    this.#aliases.set(alias, id);
    this.#aliasBytes += alias.length * 2 + ALIAS_OVERHEAD_BYTES;
    while (this.#aliases.size > this.#limits.maxAliases || this.#aliasBytes > this.#limits.maxAliasBytes) {
      this.#dropAlias(this.#aliases.keys().next().value!);
    }
  }

  #dropAlias(alias: string): void {
    if (this.#aliases.delete(alias)) this.#aliasBytes -= alias.length * 2 + ALIAS_OVERHEAD_BYTES;
  }
}

function entryKey(pageId: string, key: string): string {
  return `${pageId}\n${key}`;
}
