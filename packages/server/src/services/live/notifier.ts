/**
 * "Something new happened on site/page": the only thing that travels between writers and streams.
 * The event itself is durable in `comment_events` (written in the same transaction as the change);
 * a notification only says which page to re-read and up to which id. That is what lets a
 * PostgreSQL LISTEN/NOTIFY or Redis pub/sub notifier replace the in-process one for several
 * server instances: implement this interface, publish after commit, deliver to subscribers.
 */
export interface Notification {
  /** The event's id (a ULID). */
  id: string;
  site: string;
  page: string;
}

export type NotificationListener = (notification: Notification) => void;

export interface Notifier {
  /** Called after the transaction that wrote event `id` committed. Must not throw. */
  publish(notification: Notification): void;
  /** Returns the function that unsubscribes. */
  subscribe(site: string, page: string, listener: NotificationListener): () => void;
}

/** One process: a map of listener sets. */
export class InProcessNotifier implements Notifier {
  private readonly listeners = new Map<string, Set<NotificationListener>>();

  publish(notification: Notification): void {
    const set = this.listeners.get(pageKey(notification.site, notification.page));
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(notification);
      } catch (error) {
        console.error('Notification listener failed', error);
      }
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
}

export function pageKey(site: string, page: string): string {
  return JSON.stringify([site, page]);
}
