import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { BanRow, BansTable } from './moderation.schema.ts';

export async function insertBan(db: Kysely<Database>, row: BansTable): Promise<BanRow> {
  await db.insertInto('bans').values(row).execute();
  return row;
}

/** Whether any of the given hashes is banned on the site at `now` (permanent or not yet expired). */
export async function hasActiveBan(
  db: Kysely<Database>,
  site: string,
  hashes: ReadonlyArray<{ kind: 'email' | 'ip'; valueHash: string }>,
  now: string,
): Promise<boolean> {
  if (hashes.length === 0) return false;
  const row = await db
    .selectFrom('bans')
    .select('id')
    .where('site', '=', site)
    .where((eb) => eb.or(hashes.map((h) => eb.and([eb('kind', '=', h.kind), eb('value_hash', '=', h.valueHash)]))))
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listActiveBans(db: Kysely<Database>, site: string, now: string, limit?: number): Promise<BanRow[]> {
  let query = db
    .selectFrom('bans')
    .selectAll()
    .where('site', '=', site)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('created_at', 'desc');
  if (limit !== undefined) query = query.limit(limit);
  return query.execute();
}

/** Deletes a ban; answers its site, or undefined when there was none. */
export async function deleteBan(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const row = await db.deleteFrom('bans').where('id', '=', id).returning('site').executeTakeFirst();
  return row?.site;
}

export async function findBanById(db: Kysely<Database>, id: string): Promise<BanRow | undefined> {
  return db.selectFrom('bans').selectAll().where('id', '=', id).executeTakeFirst();
}
