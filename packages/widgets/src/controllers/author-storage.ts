import { load, save } from './storage.ts';

/* What only the writing tools keep in localStorage (their chunk, not the first load). */

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
