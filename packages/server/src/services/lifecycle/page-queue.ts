/**
 * One change of a page at a time in this process, queued before it takes a database connection.
 * The page lock in the database already serialises a page's changes (across instances too);
 * queuing here as well keeps the others waiting in memory instead of each holding a pooled
 * connection asleep on that lock. On a busy thread ten posters held all ten connections of the
 * pool (readers of other pages then queued for one), and every lock wait costs the backend a sleep,
 * a timer and a wake-up. The order is arrival order, as the database lock's is.
 */
export class PageQueue {
  /** Per page, the promise the next change waits for (settled when the newest queued one ends). */
  readonly #tails = new Map<string, Promise<void>>();
  /** Changes waiting for an earlier one of their page (tests, metrics). */
  waiting = 0;

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    let finish!: () => void;
    const mine = new Promise<void>((resolve) => (finish = resolve));
    this.#tails.set(key, mine);
    try {
      if (previous) {
        this.waiting++;
        await previous.finally(() => this.waiting--);
      }
      return await work();
    } finally {
      finish();
      // The last in line removes the page: the map holds only pages with a change under way.
      if (this.#tails.get(key) === mine) this.#tails.delete(key);
    }
  }

  /** Pages with a change under way (tests). */
  get pages(): number {
    return this.#tails.size;
  }
}
