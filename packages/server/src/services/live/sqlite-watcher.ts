import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { InProcessNotifier } from './notifier.ts';

/**
 * SQLite means one server process, but not one writer: `parley import`, `import-comments` or a
 * restore write to the same file from the CLI. SQLite's `data_version` changes whenever another
 * connection commits; polling it costs one pragma a second. When it moves, subscribers resync
 * (drop cached pages, re-read the related index, live streams re-read from their cursors).
 */
export class SqliteNotifier extends InProcessNotifier {
  #timer: NodeJS.Timeout | undefined;
  #last: number | undefined;
  #polling = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly intervalMs = 1_000,
  ) {
    super();
  }

  start(): void {
    if (this.#timer) return;
    void this.poll();
    this.#timer = setInterval(() => void this.poll(), this.intervalMs);
    this.#timer.unref();
  }

  /** One look at `data_version`; resyncs when another connection committed since the last look. */
  async poll(): Promise<boolean> {
    if (this.#polling) return false;
    this.#polling = true;
    try {
      const { rows } = await sql<{ data_version: number }>`pragma data_version`.execute(this.db);
      const version = Number(rows[0]?.data_version);
      const changed = this.#last !== undefined && version !== this.#last;
      this.#last = version;
      if (changed) this.resync();
      return changed;
    } catch {
      // A closed store (shutdown): the timer is stopped by close().
      return false;
    } finally {
      this.#polling = false;
    }
  }

  override async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
