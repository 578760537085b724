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
