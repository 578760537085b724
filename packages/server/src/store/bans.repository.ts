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

export async function listActiveBans(db: Kysely<Database>, site: string, now: string): Promise<BanRow[]> {
  return db
    .selectFrom('bans')
    .selectAll()
    .where('site', '=', site)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('created_at', 'desc')
    .execute();
}

export async function deleteBan(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('bans').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function findBanById(db: Kysely<Database>, id: string): Promise<BanRow | undefined> {
  return db.selectFrom('bans').selectAll().where('id', '=', id).executeTakeFirst();
}
