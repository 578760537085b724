import { gzipSync } from 'node:zlib';
import { pageKey } from './live/notifier.ts';
import { metrics } from '../observability/metrics.ts';

// Bound once: a labelled child costs no label lookup per read.
const hit = metrics.cacheLookups.labels({ cache: 'thread', result: 'hit' });
const miss = metrics.cacheLookups.labels({ cache: 'thread', result: 'miss' });
const counted = (found: CachedBody | undefined) => ((found ? hit : miss).inc(), found);

const MAX_PAGES = 2_000;
const MAX_ENTRIES_PER_PAGE = 64;
const MAX_ALIASES = 20_000;

/** A rendered response: UTF-8 bytes, and gzip made on first demand. */
export class CachedBody {
  private gzipped: Uint8Array | undefined;
  constructor(readonly bytes: Uint8Array) {}
  get gzip(): Uint8Array {
    this.gzipped ??= gzipSync(this.bytes);
    return this.gzipped;
  }
}

/**
 * Rendered `GET /api/comments` responses per page, so a read of an unchanged page costs a map
 * lookup: no query, no JSON, no UTF-8 encoding, no gzip. Writes on the page drop its entries. A
 * generation number per page keeps a read that started before a write from storing its (stale)
 * result after it. Per process: with several instances, each must also invalidate on the
 * notifier's events (see live/notifier.ts).
 *
 * Entries are keyed by the validated query; `alias` also remembers the raw query string that led
 * there, so a repeat of the same URL skips even validation (same string, same validation result).
 */
export class ThreadCache {
  private readonly pages = new Map<string, Map<string, CachedBody>>();
  private readonly generations = new Map<string, number>();
  private readonly aliases = new Map<string, { page: string; key: string }>();

  get(site: string, page: string, key: string): CachedBody | undefined {
    return counted(this.pages.get(pageKey(site, page))?.get(key));
  }

  /** The cached response for a raw query string seen before, if the page has not changed since. */
  getByRaw(raw: string): CachedBody | undefined {
    const alias = this.aliases.get(raw);
    const found = alias ? this.pages.get(alias.page)?.get(alias.key) : undefined;
    if (found) hit.inc(); // a miss here falls through to get(), which counts it
    return found;
  }

  generation(site: string, page: string): number {
    return this.generations.get(pageKey(site, page)) ?? 0;
  }

  set(site: string, page: string, key: string, value: CachedBody, generation: number, raw?: string): void {
    const id = pageKey(site, page);
    if ((this.generations.get(id) ?? 0) !== generation) return;
    let entries = this.pages.get(id);
    if (!entries) {
      if (this.pages.size >= MAX_PAGES) this.pages.delete(this.pages.keys().next().value!);
      this.pages.set(id, (entries = new Map()));
    }
    if (entries.size >= MAX_ENTRIES_PER_PAGE) entries.delete(entries.keys().next().value!);
    entries.set(key, value);
    if (raw !== undefined) {
      if (this.aliases.size >= MAX_ALIASES) this.aliases.clear();
      this.aliases.set(raw, { page: id, key });
    }
  }

  invalidate(site: string, page: string): void {
    const id = pageKey(site, page);
    this.pages.delete(id);
    this.generations.set(id, (this.generations.get(id) ?? 0) + 1);
    // Generations of pages nobody reads any more must not pile up forever.
    if (this.generations.size > MAX_PAGES * 4) this.generations.clear();
  }
}
