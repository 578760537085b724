import { monotonicFactory } from 'ulidx';
import { pooledRandom } from '../../lib/pooled-random.ts';
import { metrics } from '../../observability/metrics.ts';
import type { Kysely, RawBuilder, Transaction } from 'kysely';
import type { StreamEventType } from '@parley/schema';
import type { Clock } from '../../clock.ts';
import type { WebhookEvent } from '../../sites/config.ts';
import { insertEventQuery, lastEventId } from '../../store/comments.repository.ts';
import { isStalePageState, lockPageForWrite, lockPageWithNext, pageStateGuard, pageStateUnderLock, type PageState } from '../../store/page-lock.ts';
import type { GuardedWrites } from '../../store/guards.ts';
import { laterWriteName, sendLaterWrites, type LaterWrite, type Writes } from '../../store/later-writes.ts';
import type { CommentRow, Database } from '../../store/schema.ts';
import type { Store } from '../../store/store.ts';
import { pageKey, type Change, type Notifier } from '../live/notifier.ts';
import { PageQueue } from './page-queue.ts';
import { PageStates } from './page-states.ts';
import { ulidAfter } from './ulid-after.ts';

/** What a comment change tells the world beyond the stream: webhooks and mail, staged in its transaction. */
export interface SideEffects {
  /**
   * Inside the change's transaction: record webhook deliveries and outbox rows (mail) for `event`.
   * Rows, not sends: they commit or roll back with the change, and a worker sends them once.
   */
  stage(writes: Writes, site: string, event: WebhookEvent, comment: { id: string; site: string } & Record<string, unknown>, extra?: StagedExtra): Promise<{ outbox: boolean }>;
}

/** What a side effect may use: the stored row, why it waits, the reader's wishes, where links point. */
export interface StagedExtra {
  row?: CommentRow;
  reason?: string | undefined;
  /** The author asked for reply notifications. */
  notify?: boolean | undefined;
  /** The page's origin (for links to the page). */
  origin?: string | undefined;
  /** This server's public URL (for links to confirm, unsubscribe, moderate). */
  serverUrl?: string | undefined;
}

export interface LifecycleDeps {
  store: Store;
  clock: Clock;
  notifier: Notifier;
  effects?: SideEffects | undefined;
  /** Called after a commit that wrote outbox rows or webhook deliveries: send them soon. */
  onOutbox?: () => void;
}

/**
 * The one path every comment change takes (post, edit, delete, like, approve, reject, spam,
 * restore, erase, pin, import). `change` locks the page, runs the caller's work in one transaction
 * — the row change, its stream events and its side-effect rows (webhooks, mail) — stages the
 * cross-process notification in the same transaction, and after commit publishes once: caches,
 * live streams and counts of every instance re-read the page. Callers never sequence those steps
 * themselves, so a change cannot be half-announced.
 */
export class CommentLifecycle {
  /** Event ids follow wall time, whatever clock the comments use, so streams of every process agree. */
  private readonly nextEventId = monotonicFactory(pooledRandom());
  /** A page's changes in this process wait here, not on the database's page lock (see page-queue.ts). */
  readonly queue = new PageQueue();
  /** PostgreSQL: pages' states as this process's last change left them (see page-states.ts). */
  readonly pageStates = new PageStates();

  constructor(private readonly deps: LifecycleDeps) {
    // Another instance's change of a page makes what this one remembers of it stale: forgetting it
    // when the news arrives saves the failed attempt (the guard would catch it all the same).
    deps.notifier.subscribeAll((change) => {
      if (change.remote && (change.kind === undefined || change.kind === 'comments')) this.pageStates.forget(pageKey(change.site, change.page));
    });
    deps.notifier.onResync(() => this.pageStates.clear());
  }

  get notifier(): Notifier {
    return this.deps.notifier;
  }

  /**
   * Locks the page, runs `work` in one transaction with its events and side-effect rows, and
   * publishes the change after commit. On PostgreSQL a page this process changed last (PageStates)
   * is locked in the message of the change's first statement — with its writes and COMMIT when
   * `work` reads nothing — and the writes check the remembered state; when another instance made
   * it stale, the transaction fails, and `work` runs again with the state read under the lock.
   * `work` may therefore run twice: it must only read and stage through `tx`.
   */
  async change<T>(site: string, page: string, work: (tx: ChangeTx) => Promise<T>): Promise<T> {
    const key = pageKey(site, page);
    let tx: ChangeTx | undefined;
    const attempt = (known: PageState | undefined) =>
      this.deps.store.transaction(async (trx) => {
        const state = known ?? (await lockPageForWrite(trx, this.deps.store.dialect, site, page));
        if (known) await lockPageWithNext(trx, site, page);
        tx = new ChangeTx(trx, this.deps, this.nextEventId, { site, page }, state, known !== undefined);
        tx.touch(site, page);
        const value = await work(tx);
        await tx.sendLater();
        return value;
      });
    const result = await this.queue.run(key, async () => {
      const known = this.deps.store.dialect === 'postgres' ? this.pageStates.get(key) : undefined;
      let value: T;
      try {
        value = await attempt(known);
      } catch (error) {
        this.pageStates.forget(key);
        if (!known || !isStalePageState(error)) throw error;
        metrics.stalePageStates.inc();
        value = await attempt(undefined);
      }
      const after = tx!.pageStateAfter();
      if (after) this.pageStates.remember(key, after);
      // Events written to other pages (a comment moved) leave their remembered states behind.
      for (const other of tx!.touchedPages()) if (other !== key) this.pageStates.forget(other);
      return value;
    });
    const done = tx!;
    for (const change of done.changes()) this.deps.notifier.publish(change, { staged: true });
    if (done.queued) this.deps.onOutbox?.();
    return result;
  }
}

/**
 * The transaction of one change: its row writes go through `trx`; events and effects through here.
 * Writes nobody reads back in the transaction (stream events, fingerprints, kept answers) wait in
 * `later` and go out with the staged notifications just before commit: one round trip on PostgreSQL.
 */
export class ChangeTx implements GuardedWrites {
  private readonly touched = new Map<string, { site: string; page: string; id?: string }>();
  /** Newest event id per page in this transaction (ids must grow per page across instances). */
  private readonly lastIds = new Map<string, string | null>();
  private readonly writes: LaterWrite[] = [];
  private readonly guards: RawBuilder<number>[] = [];
  queued = false;

  /** The locked page's state: read with the lock (PostgreSQL), else once when first asked (a like never needs it). */
  private pageState: Promise<PageState> | undefined;
  private known: PageState | undefined;
  /** The change relied on the page's state (a closed thread, the newest event id). */
  private stateUsed = false;

  constructor(
    readonly trx: Transaction<Database>,
    private readonly deps: LifecycleDeps,
    private readonly nextEventId: (seedTime?: number) => string,
    private readonly locked: { site: string; page: string },
    state?: PageState,
    /** `state` is what this process remembered, not read under the lock: the writes must check it. */
    private readonly remembered = false,
  ) {
    if (state) {
      this.pageState = Promise.resolve(state);
      this.known = state;
    }
  }

  /** A write this change does not read back: sent with the others just before commit. */
  later(write: LaterWrite): void {
    this.writes.push(write);
  }

  laterNamed(write: LaterWrite): string {
    this.writes.push(write);
    return laterWriteName(this.writes.length - 1);
  }

  /** PostgreSQL: a check the last statement makes under the lock, failing the change (see store/guards.ts). */
  guard(expression: RawBuilder<number>): void {
    this.guards.push(expression);
  }

  /** Sends the later writes and stages the change's notifications (the lifecycle calls it last). */
  async sendLater(): Promise<void> {
    const notifications = this.changes().flatMap((change) => this.deps.notifier.stage(change) ?? []);
    const { site, page } = this.locked;
    // Checked under the lock in the same statement as the writes (see page-states.ts).
    const guard = this.remembered && this.stateUsed ? [pageStateGuard(site, page, this.known!)] : [];
    await sendLaterWrites(this.trx, this.deps.store.dialect, this.writes.splice(0), [...notifications, ...guard, ...this.guards.splice(0)]);
  }

  /** Whether a moderator closed the locked page's thread (read under the page lock, so it is final for this change). */
  async threadLocked(): Promise<boolean> {
    return (await this.#state()).locked;
  }

  #state(): Promise<PageState> {
    this.stateUsed = true;
    this.pageState ??= pageStateUnderLock(this.trx, this.locked.site, this.locked.page);
    return this.pageState;
  }

  /** The locked page's state once this change commits, when it was known (PostgreSQL). */
  pageStateAfter(): PageState | undefined {
    if (!this.known) return undefined;
    const own = this.lastIds.get(pageKey(this.locked.site, this.locked.page));
    return { locked: this.known.locked, lastEventId: own ?? this.known.lastEventId };
  }

  /** Readers of this page must re-read it (a change with no stream event, e.g. a like or a pin). */
  touch(site: string, page: string): void {
    const key = pageKey(site, page);
    if (!this.touched.has(key)) this.touched.set(key, { site, page });
  }

  /**
   * Appends a stream event for `row`'s page. Ids are ULIDs made greater than the page's newest
   * event: the page lock orders writers of one page, so ids follow commit order on every instance
   * and a stream's cursor never skips an event written by another process in the same millisecond.
   */
  async event(row: Pick<CommentRow, 'id' | 'site' | 'page'>, type: StreamEventType, data: unknown): Promise<string> {
    const key = pageKey(row.site, row.page);
    let last = this.lastIds.get(key);
    if (last === undefined) {
      const own = row.site === this.locked.site && row.page === this.locked.page;
      last = own ? (await this.#state()).lastEventId : await lastEventId(this.trx, row.site, row.page);
    }
    let id = this.nextEventId(Date.now());
    if (last !== null && id <= last) id = ulidAfter(last);
    this.later(insertEventQuery(this.trx, { id, site: row.site, page: row.page, type, comment_id: row.id, payload: JSON.stringify(data), created_at: this.deps.clock.now().toISOString() }));
    this.lastIds.set(key, id);
    this.touch(row.site, row.page);
    this.touched.get(key)!.id = id;
    return id;
  }

  /** Stages webhooks and mail for `event` in this transaction. */
  async effect(site: string, event: WebhookEvent, comment: { id: string; site: string } & Record<string, unknown>, extra?: StagedExtra): Promise<void> {
    if (!this.deps.effects) return;
    const staged = await this.deps.effects.stage(this, site, event, comment, extra);
    this.queued ||= staged.outbox;
  }

  /** The pages this change wrote to, by pageKey. */
  touchedPages(): string[] {
    return [...this.touched.keys()];
  }

  changes(): Change[] {
    return [...this.touched.values()].map(({ site, page, id }) => ({ kind: 'comments' as const, site, page, ...(id ? { id } : {}) }));
  }
}
