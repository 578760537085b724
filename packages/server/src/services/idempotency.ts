import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Writes } from '../store/later-writes.ts';
import { AppError } from '../lib/errors.ts';
import type { Database } from '../store/schema.ts';

/**
 * `Idempotency-Key` on POST /api/comments. The first request with a key (per site) claims it and is
 * answered normally; its status and body are kept for IDEMPOTENCY_TTL_MS. A repeat with the same key
 * and the same body gets that answer again, nothing posted twice; a repeat while the first is still
 * being answered gets 409 `idempotency_conflict` (retry shortly); the same key with another body
 * gets 422 `idempotency_conflict`. A first request that fails (4xx/5xx) releases the key, so the
 * client's retry is a real attempt. Keys are 1–255 visible ASCII characters.
 */
declare module '../store/schema.ts' {
  interface Database {
    idempotency_keys: IdempotencyKeysTable;
  }
}

export interface IdempotencyKeysTable {
  site: string;
  key: string;
  request_hash: string;
  status: number | null;
  response: string | null;
  created_at: string;
}

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim with no answer after this long belongs to a request that died (crash, lost connection to the database): it may be taken over. */
export const IDEMPOTENCY_LEASE_MS = 60 * 1000;
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; response: string };

/** Checks the header's format: 400 naming the header when it is not a key. */
export function parseIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!KEY_FORMAT.test(value)) {
    throw new AppError(400, 'validation_failed', `Invalid request: ${IDEMPOTENCY_HEADER}: 1 to 255 visible ASCII characters`, [
      { path: IDEMPOTENCY_HEADER, message: '1 to 255 visible ASCII characters' },
    ]);
  }
  return value;
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/** Claims `key` for this request, or answers what the first request with it got. */
export async function claimIdempotencyKey(db: Kysely<Database>, site: string, key: string, hash: string, now: Date): Promise<IdempotencyClaim> {
  const created_at = now.toISOString();
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({ site, key, request_hash: hash, status: null, response: null, created_at })
    .onConflict((oc) => oc.columns(['site', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'claimed' };

  const row = await db.selectFrom('idempotency_keys').selectAll().where('site', '=', site).where('key', '=', key).executeTakeFirst();
  if (!row) return claimIdempotencyKey(db, site, key, hash, now); // released meanwhile: try again
  const age = now.getTime() - Date.parse(row.created_at);
  const expired = age >= IDEMPOTENCY_TTL_MS || (row.status === null && age >= IDEMPOTENCY_LEASE_MS);
  if (expired) {
    // Take it over only if nobody else did first (same created_at as read).
    const taken = await db
      .updateTable('idempotency_keys')
      .set({ request_hash: hash, status: null, response: null, created_at })
      .where('site', '=', site)
      .where('key', '=', key)
      .where('created_at', '=', row.created_at)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) return { kind: 'claimed' };
    return claimIdempotencyKey(db, site, key, hash, now);
  }
  if (row.request_hash !== hash) {
    throw new AppError(422, 'idempotency_conflict', `This ${IDEMPOTENCY_HEADER} was used for a different request; use a new key for a new comment`);
  }
  if (row.status === null || row.response === null) {
    throw new IdempotencyInFlightError();
  }
  return { kind: 'replay', status: row.status, response: row.response };
}

/** 409 + Retry-After: the first request with this key is still being answered. */
export class IdempotencyInFlightError extends AppError {
  readonly retryAfterSeconds = 1;
  constructor() {
    super(409, 'idempotency_conflict', `A request with this ${IDEMPOTENCY_HEADER} is still being processed; retry shortly`);
    this.name = 'IdempotencyInFlightError';
  }
}

/** Keeps the first answer for repeats. */
export async function completeIdempotencyKey(db: Kysely<Database>, site: string, key: string, status: number, response: string): Promise<void> {
  await completeIdempotencyKeyQuery(db, site, key, status, response).execute();
}

function completeIdempotencyKeyQuery(db: Kysely<Database>, site: string, key: string, status: number, response: string) {
  return db.updateTable('idempotency_keys').set({ status, response }).where('site', '=', site).where('key', '=', key);
}

/** The first request failed: forget the claim so a retry is a real attempt. */
export async function releaseIdempotencyKey(db: Kysely<Database>, site: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('site', '=', site).where('key', '=', key).where('status', 'is', null).execute();
}

/** Deletes keys older than IDEMPOTENCY_TTL_MS; answers how many. Scheduled by the server's periodic work. */
export async function pruneIdempotencyKeys(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface IdempotentAnswer {
  status: number;
  /** The JSON body as sent the first time. */
  response: string;
  replayed: boolean;
}

/** Keeps a request's answer with `writes`: the work calls it inside the transaction that stores its result. */
export type KeepAnswer = (writes: Writes, status: number, body: unknown) => void;

/**
 * Runs `work` once per (site, key): claims the key, runs, keeps the answer; a repeat gets the kept
 * answer. `work` is handed a {@link KeepAnswer} to call in its own transaction, so the answer is
 * stored with the change or not at all; work that never calls it has its answer kept afterwards.
 * A throw releases the claim and propagates (errors are not replayed).
 */
export async function runIdempotent(
  db: Kysely<Database>,
  now: Date,
  scope: { site: string; key: string; request: unknown },
  work: (keep: KeepAnswer) => Promise<{ status: number; body: unknown }>,
): Promise<IdempotentAnswer> {
  const claim = await claimIdempotencyKey(db, scope.site, scope.key, requestHash(scope.request), now);
  if (claim.kind === 'replay') return { status: claim.status, response: claim.response, replayed: true };
  let kept: string | undefined;
  const keep: KeepAnswer = (writes, status, body) => {
    const response = JSON.stringify(body);
    writes.later(completeIdempotencyKeyQuery(writes.trx, scope.site, scope.key, status, response));
    kept = response;
  };
  let answer: { status: number; body: unknown };
  try {
    answer = await work(keep);
  } catch (error) {
    await releaseIdempotencyKey(db, scope.site, scope.key).catch(() => {
      // The lease expires anyway; the original error is what the client must see.
    });
    throw error;
  }
  const response = kept ?? JSON.stringify(answer.body);
  if (kept === undefined) await completeIdempotencyKey(db, scope.site, scope.key, answer.status, response);
  return { status: answer.status, response, replayed: false };
}
