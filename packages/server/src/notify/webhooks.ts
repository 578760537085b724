import { createHmac, timingSafeEqual } from 'node:crypto';
import { ulid } from 'ulidx';
import type { Clock } from '../clock.ts';
import type { SiteRegistry } from '../sites/registry.ts';
import type { WebhookEvent } from '../sites/config.ts';
import type { WebhookDeliveryRow } from '../store/moderation.schema.ts';
import { claimQueueRow, countPendingRows } from '../store/queue-rows.repository.ts';
import { insertDeliveries, insertDeliveriesQuery, listDueDeliveries, recordAttempt } from '../store/webhooks.repository.ts';
import type { Writes } from '../store/later-writes.ts';
import type { Store } from '../store/store.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

export const SIGNATURE_HEADER = 'Parley-Signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` — the scheme Stripe made familiar. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * For receivers (and our tests): checks the header against the raw body in constant time and
 * refuses timestamps more than `toleranceSeconds` away (replays).
 */
export function verifyWebhook(secret: string, header: string | null | undefined, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const timestamp = Number(match[1]);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body).slice(-64), 'hex');
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
}

/** What a receiver gets: JSON. Reader-supplied strings inside are raw data — escape them when you display them. */
export interface WebhookBody {
  id: string;
  event: WebhookEvent;
  site: string;
  createdAt: string;
  data: unknown;
}

export interface WebhookWorkerOptions {
  store: Store;
  sites: SiteRegistry;
  clock: Clock;
  fetch?: typeof fetch;
  /** Attempts before a delivery is marked failed. Default 8 (about 2 hours with the default backoff). */
  maxAttempts?: number;
  /** First retry after this; doubles each attempt, capped at `maxBackoffMs`. Default 30 s. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
  /** Timers, injectable so tests drive the loop by hand. */
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
  onError?: (error: unknown) => void;
}

/** Delay before attempt `attempts + 1`, after `attempts` failures: base·2^(attempts−1), capped. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Webhook deliveries: `enqueue` records one delivery per subscribed endpoint (in the caller's
 * request, cheap); `runOnce` sends what is due, signing each body, and reschedules failures with
 * exponential backoff. Several instances may run workers: each delivery is claimed before sending.
 */
export class WebhookWorker {
  readonly #o: Required<Omit<WebhookWorkerOptions, 'onError'>> & Pick<WebhookWorkerOptions, 'onError'>;
  #timer: unknown;
  #running: Promise<number> | undefined;

  constructor(options: WebhookWorkerOptions) {
    this.#o = {
      fetch: globalThis.fetch,
      maxAttempts: 8,
      baseBackoffMs: 30_000,
      maxBackoffMs: 60 * 60_000,
      timeoutMs: 10_000,
      setInterval: (fn, ms) => setInterval(fn, ms).unref(),
      clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
      ...options,
    };
  }

  /**
   * Records deliveries of `event` for every webhook of `site` subscribed to it; returns their ids.
   * Into a change's `Writes`, they are written with the change's other later writes.
   */
  async enqueue(site: string, event: WebhookEvent, data: unknown, db: Kysely<Database> | Writes = this.#o.store.db): Promise<string[]> {
    const hooks = (this.#o.sites.find(site)?.webhooks ?? []).filter((hook) => hook.events.includes(event));
    const now = this.#o.clock.now().toISOString();
    const rows = hooks.map((hook) => {
      const id = ulid();
      const body: WebhookBody = { id, event, site, createdAt: now, data };
      return { id, site, url: hook.url, event, payload: JSON.stringify(body), next_attempt_at: now, created_at: now };
    });
    if ('later' in db) {
      if (rows.length > 0) db.later(insertDeliveriesQuery(db.trx, rows));
    } else await insertDeliveries(db, rows);
    return rows.map((row) => row.id);
  }

  readonly queue = 'webhooks';

  /** Deliveries not yet made (due now or waiting for a retry). */
  pending(): Promise<number> {
    return countPendingRows(this.#o.store.db, 'webhook_deliveries');
  }

  /** Sends every due delivery once; returns how many were attempted. */
  runOnce(): Promise<number> {
    // One pass at a time per worker; a timer tick during a slow pass joins it.
    this.#running ??= this.#pass().finally(() => (this.#running = undefined));
    return this.#running;
  }

  start(intervalMs = 5_000): void {
    if (this.#timer !== undefined) return;
    this.#timer = this.#o.setInterval(() => {
      this.runOnce().catch((error: unknown) => this.#o.onError?.(error));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) this.#o.clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
  }

  async #pass(): Promise<number> {
    const now = this.#o.clock.now();
    const due = await listDueDeliveries(this.#o.store.db, now.toISOString(), 50);
    let attempted = 0;
    for (const delivery of due) {
      const lease = new Date(now.getTime() + this.#o.timeoutMs * 2).toISOString();
      if (!(await claimQueueRow(this.#o.store.db, 'webhook_deliveries', delivery.id, delivery.next_attempt_at, lease))) continue;
      attempted++;
      await this.#attempt(delivery);
    }
    return attempted;
  }

  async #attempt(delivery: WebhookDeliveryRow): Promise<void> {
    const secret = this.#o.sites.find(delivery.site)?.webhooks.find((hook) => hook.url === delivery.url)?.secret;
    const attempts = delivery.attempts + 1;
    let lastStatus: number | null = null;
    let lastError: string | null = null;
    if (!secret) {
      lastError = 'This webhook is no longer configured';
    } else {
      const timestamp = Math.floor(this.#o.clock.now().getTime() / 1000);
      try {
        const response = await this.#o.fetch(delivery.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Parley-Webhooks/1',
            [SIGNATURE_HEADER]: signWebhook(secret, timestamp, delivery.payload),
            'Parley-Event': delivery.event,
            'Parley-Delivery': delivery.id,
          },
          body: delivery.payload,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.#o.timeoutMs),
        });
        lastStatus = response.status;
        await response.body?.cancel().catch(() => {});
        if (!response.ok) lastError = `HTTP ${response.status}`;
      } catch (error) {
        lastError = (error as Error).message.slice(0, 500);
      }
    }
    const now = this.#o.clock.now();
    const delivered = lastError === null;
    const giveUp = !delivered && (attempts >= this.#o.maxAttempts || !secret);
    await recordAttempt(this.#o.store.db, delivery.id, {
      attempts,
      status: delivered ? 'delivered' : giveUp ? 'failed' : 'pending',
      lastStatus,
      lastError,
      nextAttemptAt: delivered || giveUp ? now.toISOString() : new Date(now.getTime() + backoffMs(attempts, this.#o.baseBackoffMs, this.#o.maxBackoffMs)).toISOString(),
      deliveredAt: delivered ? now.toISOString() : null,
    });
  }
}
