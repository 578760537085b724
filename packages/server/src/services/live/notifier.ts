import type { RawBuilder } from 'kysely';

/**
 * "Something changed": the only thing that travels between writers and what each process keeps in
 * memory (first-page cache, live streams, the related index). The change itself is durable in the
 * database (`comment_events`, `articles`, …); a notification only says what to re-read. That is what
 * makes a lost, doubled or reordered notification harmless: readers re-read from the database, and
 * after a gap (`onResync`) they re-read everything they hold.
 */
export type Change = CommentsChange | ArticlesChange | BansChange;

/** A page's comments changed; `id` is the newest stream event written, when the change wrote one. */
export interface CommentsChange {
  kind?: 'comments';
  /** Set on changes heard from another process (this process applied its own already). */
  remote?: boolean;
  id?: string | undefined;
  site: string;
  page: string;
}

/** Articles of a site changed (upsert, delete, pins); no `pageKeys` means "re-read the whole site". */
export interface ArticlesChange {
  kind: 'articles';
  remote?: boolean;
  site: string;
  pageKeys?: string[] | undefined;
}

/** A site's bans changed (ban, unban): ban checks held in memory re-read them. */
export interface BansChange {
  kind: 'bans';
  remote?: boolean;
  site: string;
}

/** Kept for the live feed and older callers: a comments change. */
export type Notification = CommentsChange;

export type NotificationListener = (notification: CommentsChange) => void;
export type ChangeListener = (change: Change) => void;

export interface Notifier {
  /**
   * For the writing transaction: the SQL expression that sends the change to other processes
   * atomically with the write (PostgreSQL's `pg_notify`, delivered at commit, never for a
   * rollback), selected with the transaction's last writes; nothing for a notifier in one process.
   */
  stage(change: Change): RawBuilder<unknown> | undefined;
  /**
   * After commit: tells this process's subscribers, and other processes unless the change was
   * staged in the transaction that wrote it. Must not throw.
   */
  publish(change: Change, options?: { staged?: boolean }): void;
  /** One page's comment changes (live streams). Returns the function that unsubscribes. */
  subscribe(site: string, page: string, listener: NotificationListener): () => void;
  /** Every change (caches). */
  subscribeAll(listener: ChangeListener): () => void;
  /**
   * Called when changes may have been missed (a dropped LISTEN connection came back, another
   * process wrote to the SQLite file): re-read whatever is held in memory.
   */
  onResync(listener: () => void): () => void;
  close(): Promise<void>;
}

/** One process: maps of listener sets. The base of the notifiers that cross processes. */
export class InProcessNotifier implements Notifier {
  private readonly listeners = new Map<string, Set<NotificationListener>>();
  private readonly all = new Set<ChangeListener>();
  private readonly resyncs = new Set<() => void>();

  stage(_change: Change): RawBuilder<unknown> | undefined {
    return undefined;
  }

  publish(change: Change): void {
    this.deliver(change);
  }

  /** Tells this process's subscribers. */
  protected deliver(change: Change): void {
    for (const listener of [...this.all]) guard(() => listener(change));
    if (change.kind !== undefined && change.kind !== 'comments') return;
    const set = this.listeners.get(pageKey(change.site, change.page));
    if (!set) return;
    for (const listener of [...set]) guard(() => listener(change));
  }

  /** Tells every subscriber that changes may have been missed. */
  resync(): void {
    for (const listener of [...this.resyncs]) guard(listener);
    // Live streams re-read their pages from their cursors: nothing lost, nothing doubled.
    for (const [key, set] of this.listeners) {
      const [site, page] = JSON.parse(key) as [string, string];
      for (const listener of [...set]) guard(() => listener({ site, page }));
    }
  }

  subscribe(site: string, page: string, listener: NotificationListener): () => void {
    const key = pageKey(site, page);
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(key) === set) this.listeners.delete(key);
    };
  }

  subscribeAll(listener: ChangeListener): () => void {
    this.all.add(listener);
    return () => this.all.delete(listener);
  }

  onResync(listener: () => void): () => void {
    this.resyncs.add(listener);
    return () => this.resyncs.delete(listener);
  }

  async close(): Promise<void> {}
}

function guard(work: () => void): void {
  try {
    work();
  } catch (error) {
    console.error('Notification listener failed', error);
  }
}

export function pageKey(site: string, page: string): string {
  return JSON.stringify([site, page]);
}
