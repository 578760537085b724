/**
 * Rendered fragments by ETag (which names the data and the query they were made from), so a
 * busy page is rendered once per change, not once per request. Bounded by entries and by bytes;
 * the least recently used go first. Entries never go stale: new data is a new ETag.
 */
export class FragmentCache {
  readonly #entries = new Map<string, string>();
  #bytes = 0;

  constructor(
    private readonly maxEntries = 200,
    private readonly maxBytes = 16 * 1024 * 1024,
  ) {}

  get(key: string): string | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: string, value: string): void {
    const size = value.length * 2;
    if (size > this.maxBytes) return;
    this.#drop(key);
    this.#entries.set(key, value);
    this.#bytes += size;
    while (this.#entries.size > this.maxEntries || this.#bytes > this.maxBytes) this.#drop(this.#entries.keys().next().value!);
  }

  #drop(key: string): void {
    const old = this.#entries.get(key);
    if (old === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= old.length * 2;
  }
}
