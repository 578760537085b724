/**
 * localStorage as JSON that never throws: private modes, full quotas and blocked storage read
 * as `fallback` and drop writes. Keys are prefixed `parley:`.
 */
export function load<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(`parley:${key}`);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function save(key: string, value: unknown): void {
  try {
    if (value === undefined) localStorage.removeItem(`parley:${key}`);
    else localStorage.setItem(`parley:${key}`, JSON.stringify(value));
  } catch {
    // Storage unavailable: the feature just does not persist.
  }
}

/** The random id this browser likes comments with (kept across pages and servers). */
export function readerId(): string {
  let id = load<string>('reader', '');
  if (!/^[\w-]{16,64}$/.test(id)) {
    // getRandomValues, unlike randomUUID, also works on plain-http pages.
    id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    save('reader', id);
  }
  return id;
}
