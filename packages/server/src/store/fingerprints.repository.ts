import type { Kysely } from 'kysely';
import type { Writes } from './later-writes.ts';
import type { Database } from './schema.ts';
import './moderation.schema.ts';

/** Whether any of `actorHashes` posted a body with this hash on the site since `since`. */
export async function seenRecently(
  db: Kysely<Database>,
  site: string,
  bodyHash: string,
  actorHashes: readonly string[],
  since: string,
): Promise<boolean> {
  if (actorHashes.length === 0) return false;
  const row = await db
    .selectFrom('content_fingerprints')
    .select('site')
    .where('site', '=', site)
    .where('body_hash', '=', bodyHash)
    .where('actor_hash', 'in', [...actorHashes])
    .where('created_at', '>', since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Remembers a post's fingerprint under each actor hash (email hash and IP hash). */
export function recordFingerprint(writes: Writes, site: string, bodyHash: string, actorHashes: readonly string[], now: string): void {
  if (actorHashes.length === 0) return;
  writes.later(writes.trx.insertInto('content_fingerprints').values(actorHashes.map((actor_hash) => ({ site, actor_hash, body_hash: bodyHash, created_at: now }))));
}

/** Drops fingerprints older than `before` (the longest duplicate window). */
export async function pruneFingerprints(db: Kysely<Database>, before: string): Promise<number> {
  const result = await db.deleteFrom('content_fingerprints').where('created_at', '<=', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
