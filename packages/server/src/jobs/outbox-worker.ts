import type { Clock } from '../clock.ts';
import { backoffMs } from '../notify/webhooks.ts';
import { listDueOutbox, recordOutboxAttempt, type OutboxRow } from '../store/outbox.repository.ts';
import { claimQueueRow, countPendingRows } from '../store/queue-rows.repository.ts';
import type { Store } from '../store/store.ts';

export interface OutboxWorkerOptions {
  store: Store;
  clock: Clock;
  /** Sends one row; throwing means "try again later". */
  deliver: (row: OutboxRow) => Promise<void>;
  maxAttempts?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a claim holds before another instance may take the row (a worker that died). */
  leaseMs?: number;
  onError?: (message: string, error: unknown) => void;
}

/**
 * Sends the outbox: rows written in the same transaction as the comment change they belong to.
 * Each row is claimed before sending (an UPDATE that only one instance's matches), so with N
 * instances each mail goes once; a failure reschedules it with exponential backoff; a worker that
 * dies mid-send lets its lease run out and another instance sends it.
 */
export class OutboxWorker {
  readonly #o: Required<Omit<OutboxWorkerOptions, 'onError'>> & Pick<OutboxWorkerOptions, 'onError'>;
  #running: Promise<number> | undefined;
  #again = false;

  constructor(options: OutboxWorkerOptions) {
    this.#o = { maxAttempts: 8, baseBackoffMs: 30_000, maxBackoffMs: 3_600_000, leaseMs: 60_000, ...options };
  }

  readonly queue = 'mail';

  /** Mails not yet sent (due now or waiting for a retry). */
  pending(): Promise<number> {
    return countPendingRows(this.#o.store.db, 'outbox');
  }

  /** Sends what is due; a call during a pass runs one more pass after it. Resolves to rows attempted. */
  runOnce(): Promise<number> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      let attempted = 0;
      do {
        this.#again = false;
        attempted += await this.#pass();
      } while (this.#again);
      return attempted;
    })().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #pass(): Promise<number> {
    const db = this.#o.store.db;
    const now = this.#o.clock.now();
    const due = await listDueOutbox(db, now.toISOString(), 50);
    let attempted = 0;
    for (const row of due) {
      const lease = new Date(now.getTime() + this.#o.leaseMs).toISOString();
      if (!(await claimQueueRow(db, 'outbox', row.id, row.next_attempt_at, lease))) continue;
      attempted++;
      const attempts = row.attempts + 1;
      try {
        await this.#o.deliver(row);
        const at = this.#o.clock.now().toISOString();
        await recordOutboxAttempt(db, row.id, { attempts, status: 'sent', lastError: null, nextAttemptAt: at, sentAt: at });
      } catch (error) {
        this.#o.onError?.(`Outbox ${row.kind} ${row.id} failed (attempt ${attempts})`, error);
        const at = this.#o.clock.now();
        const giveUp = attempts >= this.#o.maxAttempts;
        await recordOutboxAttempt(db, row.id, {
          attempts,
          status: giveUp ? 'failed' : 'pending',
          lastError: String((error as Error)?.message ?? error).slice(0, 500),
          nextAttemptAt: new Date(at.getTime() + (giveUp ? 0 : backoffMs(attempts, this.#o.baseBackoffMs, this.#o.maxBackoffMs))).toISOString(),
          sentAt: null,
        });
      }
    }
    return attempted;
  }
}
