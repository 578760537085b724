import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import './security.schema.ts';

/**
 * Marks a token used; true the first time, false when it was used before. One atomic insert, so
 * two clicks racing on the same link cannot both win.
 */
export async function markTokenUsed(db: Kysely<Database>, row: { token_hash: string; purpose: string; used_at: string; expires_at: string }): Promise<boolean> {
  const result = await db
    .insertInto('used_tokens')
    .values(row)
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Forgets used tokens that have expired anyway (their signature check refuses them by itself). */
export async function pruneUsedTokens(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom('used_tokens').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
