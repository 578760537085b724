import { AppError } from './errors.ts';

/**
 * Database failures that are not bugs in the request or in our code, mapped to what a client can
 * act on. The original error stays the `cause`, so the log shows the real reason (SQLITE_FULL,
 * ECONNREFUSED…), never a bare 500.
 *
 * - Storage outages (disk full, read-only or broken file, PostgreSQL down or restarting, too many
 *   connections, the pool closed during shutdown) → 503 `storage_unavailable` + Retry-After.
 * - PostgreSQL refusing a value our validation let through (NUL byte, an integer out of range, a
 *   string too long) → 400 `validation_failed`: a safety net behind the schemas, same on both databases.
 */
export class StorageUnavailableError extends AppError {
  readonly retryAfterSeconds = STORAGE_RETRY_AFTER_SECONDS;
  constructor(reason: string, options: { cause: unknown }) {
    super(503, 'storage_unavailable', `The database is unavailable (${reason}); try again shortly`);
    this.name = 'StorageUnavailableError';
    this.cause = options.cause;
  }
}

export const STORAGE_RETRY_AFTER_SECONDS = 5;

const SQLITE_OUTAGE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|BUSY|LOCKED|NOMEM|PROTOCOL)/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENOSPC', 'EROFS', 'EIO']);
// Class 08 connection exceptions, 53 insufficient resources, 57P admin shutdown / crash / cannot connect now.
const PG_OUTAGE = /^(08|53|57P)/;
// 22021 bad byte (NUL), 22P05 untranslatable, 22003 numeric out of range, 22001 too long, 22007/22008 bad datetime.
const PG_BAD_VALUE = new Set(['22021', '22P05', '22003', '22001', '22007', '22008']);
const CLOSED_POOL = /driver has already been destroyed|Cannot use a pool after calling end|Client was closed|Connection terminated/i;

/** An AppError for a storage failure, or undefined when `error` is something else (a real bug: 500). */
export function storageFailure(error: unknown): AppError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code: rawCode } = error as { code?: unknown };
  const code = typeof rawCode === 'string' ? rawCode : '';
  if (SQLITE_OUTAGE.test(code)) return new StorageUnavailableError(code, { cause: error });
  if (NETWORK_CODES.has(code) || PG_OUTAGE.test(code)) return new StorageUnavailableError(code, { cause: error });
  if (CLOSED_POOL.test(error.message)) return new StorageUnavailableError('shutting down', { cause: error });
  if (PG_BAD_VALUE.has(code)) {
    return new AppError(400, 'validation_failed', `Invalid request: a value was refused by the database (${error.message})`);
  }
  if (error instanceof AggregateError) return error.errors.map(storageFailure).find(Boolean);
  return undefined;
}
