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

/**
 * The author token the server gave this browser for an email on a server+site (`storeKey`): sent
 * back with the next comment under that email, it proves "approved before" on `first-time` sites
 * (an email alone does not). One per store key: the latest.
 */
export function authorTokenFor(storeKey: string, email: string): string | undefined {
  const kept = load<{ email?: string; token?: string }>(`author:${storeKey}`, {});
  return email && kept.email === email.toLowerCase() && typeof kept.token === 'string' ? kept.token : undefined;
}

export function rememberAuthorToken(storeKey: string, email: string, token: string | undefined): void {
  if (email && token) save(`author:${storeKey}`, { email: email.toLowerCase(), token });
}
