import type { PageState } from '../../store/page-lock.ts';

/**
 * Each page's state (thread locked? newest event id?) as this process's last change of it left it,
 * for the pages changed most recently. PostgreSQL only: the next change of such a page takes the
 * page lock in the same message as its writes instead of reading the state first — one round trip
 * fewer, and on a busy thread the one every other poster waits for. Nothing here is trusted: the
 * writes carry a guard that fails the transaction if the state under the lock is not this one
 * (another instance wrote to the page, a moderator locked its thread), and the change then runs
 * again the careful way. A locked thread is never remembered (a post to it must read the lock).
 */
export class PageStates {
  readonly #states = new Map<string, PageState>();

  constructor(private readonly limit = 10_000) {}

  get(key: string): PageState | undefined {
    return this.#states.get(key);
  }

  remember(key: string, state: PageState): void {
    this.#states.delete(key);
    if (state.locked) return;
    this.#states.set(key, state);
    // A Map iterates in insertion order: the first key is the page changed longest ago.
    if (this.#states.size > this.limit) this.#states.delete(this.#states.keys().next().value!);
  }

  forget(key: string): void {
    this.#states.delete(key);
  }

  clear(): void {
    this.#states.clear();
  }

  get size(): number {
    return this.#states.size;
  }
}
