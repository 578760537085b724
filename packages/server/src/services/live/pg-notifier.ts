import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import pg from 'pg';
import type { Database } from '../../store/schema.ts';
import { InProcessNotifier, type Change } from './notifier.ts';

/** NOTIFY payloads must stay under 8000 bytes: long lists of article keys become "the whole site". */
const MAX_PAGE_KEYS = 50;
const MAX_PAYLOAD = 7_000;

export interface PgNotifierOptions {
  connectionString: string;
  /** The store's schema: instances share a channel only when they share a schema. */
  schema?: string | undefined;
  logError?: (message: string, error: unknown) => void;
  /** First reconnect delay; doubles up to 5 s. */
  reconnectMs?: number;
  /** Sends changes through this pool (NOTIFY outside a transaction). */
  pool?: { query(text: string, values: unknown[]): Promise<unknown> };
  /** false: only send (the CLI), never LISTEN. */
  listen?: boolean;
  /** Seconds from a change's NOTIFY being written to its arrival here (`/metrics`; clocks of different machines add their skew). */
  onLag?: (seconds: number) => void;
}

interface Wire {
  /** The sending instance: it told its own subscribers already. */
  from: string;
  change: Change;
  /** When the sender wrote the NOTIFY (ms since the epoch). */
  at?: number;
}

/**
 * Several instances on one PostgreSQL: every change is sent with NOTIFY on one channel per schema,
 * and every instance LISTENs on a dedicated connection. A write stages its NOTIFY in its own
 * transaction, so other instances hear of it exactly when it commits, never for a rollback. A
 * dropped LISTEN connection reconnects and then resyncs (caches drop what they hold, live streams
 * re-read from their cursors), so nothing that happened meanwhile is lost or doubled.
 */
export class PgNotifier extends InProcessNotifier {
  readonly instanceId = randomUUID();
  readonly channel: string;
  #client: pg.Client | undefined;
  #closed = false;
  #connected: Promise<void>;
  #delay: number;
  #ownPool: pg.Pool | undefined;
  readonly #sending = new Set<Promise<unknown>>();
  /** Notifications received from other instances (metrics, tests). */
  received = 0;

  constructor(private readonly options: PgNotifierOptions) {
    super();
    this.channel = `parley_${(options.schema ?? 'public').toLowerCase()}`.slice(0, 63);
    if (!/^[a-z_][a-z0-9_]*$/.test(this.channel)) throw new Error(`Invalid notification channel ${this.channel}`);
    this.#delay = options.reconnectMs ?? 100;
    this.#connected = options.listen === false ? Promise.resolve() : this.#connect(false);
  }

  /** Resolves once LISTEN is in place (tests, and startup so the first write is heard). */
  ready(): Promise<void> {
    return this.#connected;
  }

  override stage(change: Change): RawBuilder<unknown> {
    return sql`pg_notify(${this.channel}, ${this.#encode(change)})`;
  }

  override publish(change: Change, options: { staged?: boolean } = {}): void {
    this.deliver(change);
    if (options.staged) return;
    const pool = this.options.pool ?? (this.#ownPool ??= new pg.Pool({ connectionString: this.options.connectionString, max: 2 }));
    const sending = pool
      .query('select pg_notify($1, $2)', [this.channel, this.#encode(change)])
      .catch((error: unknown) => {
        this.options.logError?.('NOTIFY failed; other instances catch up on their next resync', error);
      })
      .finally(() => this.#sending.delete(sending));
    this.#sending.add(sending);
  }

  override async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
    await this.flush();
    await this.#ownPool?.end().catch(() => {});
  }

  /** Drops the LISTEN connection as a network failure would (tests). */
  async dropConnectionForTest(): Promise<void> {
    const client = this.#client as unknown as { connection?: { stream?: { destroy(): void } } } | undefined;
    client?.connection?.stream?.destroy();
  }

  /** Resolves when every NOTIFY sent outside a transaction has gone (the CLI, before it exits). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.#sending]);
  }

  #encode(change: Change): string {
    const { remote: _remote, ...plain } = change;
    let sent = plain as Change;
    if (change.kind === 'articles' && change.pageKeys && change.pageKeys.length > MAX_PAGE_KEYS) sent = { kind: 'articles', site: change.site };
    // Fractional milliseconds: a lag under 1 ms still shows.
    const at = performance.timeOrigin + performance.now();
    let text = JSON.stringify({ from: this.instanceId, change: sent, at } satisfies Wire);
    if (text.length > MAX_PAYLOAD && sent.kind === 'articles') text = JSON.stringify({ from: this.instanceId, change: { kind: 'articles', site: sent.site }, at } satisfies Wire);
    return text;
  }

  async #connect(isReconnect: boolean): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({ connectionString: this.options.connectionString });
    client.on('notification', (message) => {
      if (message.channel !== this.channel || !message.payload) return;
      let wire: Wire;
      try {
        wire = JSON.parse(message.payload) as Wire;
      } catch {
        return;
      }
      if (wire.from === this.instanceId) return;
      this.received++;
      if (typeof wire.at === 'number') this.options.onLag?.(Math.max(0, performance.timeOrigin + performance.now() - wire.at) / 1000);
      this.deliver({ ...wire.change, remote: true });
    });
    client.on('error', (error) => {
      this.options.logError?.('LISTEN connection failed; reconnecting', error);
    });
    client.on('end', () => {
      if (this.#client !== client || this.#closed) return;
      this.#client = undefined;
      this.#scheduleReconnect();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      await client.end().catch(() => {});
      if (this.#closed) return;
      this.options.logError?.('LISTEN connection could not be opened; retrying', error);
      this.#scheduleReconnect();
      return;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.#delay = this.options.reconnectMs ?? 100;
    // Whatever was written while nobody listened is in the database: re-read it.
    if (isReconnect) this.resync();
  }

  #scheduleReconnect(): void {
    if (this.#closed) return;
    const delay = this.#delay;
    this.#delay = Math.min(this.#delay * 2, 5_000);
    setTimeout(() => {
      this.#connected = this.#connect(true);
    }, delay).unref();
  }
}
