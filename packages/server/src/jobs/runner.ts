import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { claimJobLease } from '../store/outbox.repository.ts';
import type { Store } from '../store/store.ts';

/** Periodic work that one instance of several does per period (pruning). */
export interface PeriodicJob {
  name: string;
  everyMs: number;
  /** Resolves to how many rows it handled (logs, tests). */
  run(now: Date): Promise<number>;
}

/** Something that sends what is due when asked (the outbox, webhook deliveries). */
export interface QueueWorker {
  runOnce(): Promise<number>;
  /** The queue's name in metrics (`mail`, `webhooks`). */
  readonly queue?: string;
  /** Rows still to send. */
  pending?(): Promise<number>;
}

export interface JobRunnerOptions {
  store: Store;
  clock: Clock;
  queues: QueueWorker[];
  jobs: PeriodicJob[];
  onError?: (message: string, error: unknown) => void;
  /** After each tick: how many rows each queue still holds (`/metrics` queue depth). */
  onDepth?: (queue: string, pending: number) => void;
}

/**
 * The server's background work: the queues (outbox mail, webhook deliveries) are drained right
 * after a commit that filled them (`kick`) and on every tick, so a row a crashed instance left
 * behind is sent by another; periodic jobs run on whichever instance takes their lease for the
 * period. Nothing here runs in a request.
 */
export class JobRunner {
  readonly holder = randomUUID();
  #timer: NodeJS.Timeout | undefined;
  #kicked = false;
  #inFlight = new Set<Promise<unknown>>();
  #stopped = false;

  constructor(private readonly o: JobRunnerOptions) {}

  /** Drain the queues soon (coalesced: many commits in one tick make one pass). */
  kick(): void {
    if (this.#kicked || this.#stopped) return;
    this.#kicked = true;
    setImmediate(() => {
      this.#kicked = false;
      this.#track(this.drain());
    });
  }

  async drain(): Promise<number> {
    let sent = 0;
    for (const queue of this.o.queues) {
      try {
        sent += await queue.runOnce();
      } catch (error) {
        this.o.onError?.('Background queue failed', error);
      }
    }
    return sent;
  }

  /** Runs each periodic job whose lease this instance gets now; returns the names it ran. */
  async runDueJobs(): Promise<string[]> {
    const ran: string[] = [];
    for (const job of this.o.jobs) {
      const now = this.o.clock.now();
      try {
        const leased = await claimJobLease(this.o.store.db, job.name, this.holder, now.toISOString(), new Date(now.getTime() + job.everyMs).toISOString());
        if (!leased) continue;
        await job.run(now);
        ran.push(job.name);
      } catch (error) {
        this.o.onError?.(`Job ${job.name} failed`, error);
      }
    }
    return ran;
  }

  /** Reports each queue's depth (rows every instance sees: the same figure on each). */
  async reportDepths(): Promise<void> {
    const report = this.o.onDepth;
    if (!report) return;
    for (const queue of this.o.queues) {
      if (queue.queue && queue.pending) report(queue.queue, await queue.pending());
    }
  }

  start(intervalMs = 5_000): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setInterval(() => {
      this.#track(this.drain().then(() => this.runDueJobs()).then(() => this.reportDepths()));
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for work in flight (shutdown: before the pool closes). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.settled();
  }

  /** Resolves when nothing started so far is still running (tests). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0 || this.#kicked) {
      await Promise.allSettled([...this.#inFlight]);
      if (this.#kicked) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  #track(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) => this.o.onError?.('Background work failed', error)).finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
  }
}
