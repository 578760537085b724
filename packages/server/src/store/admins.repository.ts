import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { AdminRow, AdminsTable } from './moderation.schema.ts';
import type { AdminRole } from './security.schema.ts';

// Admin accounts, sessions and login throttling. Functions over `db` or a transaction.

export async function findAdminByEmail(db: Kysely<Database>, email: string): Promise<AdminRow | undefined> {
  return db.selectFrom('admins').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function insertAdmin(db: Kysely<Database>, row: AdminsTable): Promise<AdminRow> {
  await db.insertInto('admins').values(row).execute();
  return row;
}

export async function updateAdminPassword(db: Kysely<Database>, id: string, passwordHash: string, now: string): Promise<void> {
  await db.updateTable('admins').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', id).execute();
}

export async function listAdmins(db: Kysely<Database>): Promise<AdminRow[]> {
  return db.selectFrom('admins').selectAll().orderBy('email').execute();
}

export async function insertSession(
  db: Kysely<Database>,
  row: { id: string; admin_id: string; csrf_token: string; created_at: string; expires_at: string },
): Promise<void> {
  await db.insertInto('admin_sessions').values(row).execute();
}

/** The live session with this id hash and its admin; expired sessions are not returned. */
export async function findLiveSession(db: Kysely<Database>, idHash: string, now: string) {
  return db
    .selectFrom('admin_sessions')
    .innerJoin('admins', 'admins.id', 'admin_sessions.admin_id')
    .select([
      'admin_sessions.id as session_id',
      'admin_sessions.csrf_token',
      'admin_sessions.expires_at',
      'admins.id as admin_id',
      'admins.email',
      'admins.created_at',
      'admins.role',
    ])
    .where('admin_sessions.id', '=', idHash)
    .where('admin_sessions.expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('admin_sessions').where('id', '=', idHash).execute();
}

export async function deleteSessionsOf(db: Kysely<Database>, adminId: string): Promise<void> {
  await db.deleteFrom('admin_sessions').where('admin_id', '=', adminId).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: string): Promise<void> {
  await db.deleteFrom('admin_sessions').where('expires_at', '<=', now).execute();
}

export async function findLoginAttempts(db: Kysely<Database>, key: string) {
  return db.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst();
}

/** Counts one failure: starts a new window when the old one began before `windowFloor`. Atomic. */
export async function recordLoginFailure(db: Kysely<Database>, key: string, now: string, windowFloor: string): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({ key, count: 1, window_start: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        count: eb
          .case()
          .when('login_attempts.window_start', '<=', windowFloor)
          .then(1)
          .else(eb('login_attempts.count', '+', 1))
          .end(),
        window_start: eb
          .case()
          .when('login_attempts.window_start', '<=', windowFloor)
          .then(now)
          .else(eb.ref('login_attempts.window_start'))
          .end(),
      })),
    )
    .execute();
}

export async function clearLoginAttempts(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('key', '=', key).execute();
}

export async function updateAdminRole(db: Kysely<Database>, id: string, role: AdminRole, now: string): Promise<void> {
  await db.updateTable('admins').set({ role, updated_at: now }).where('id', '=', id).execute();
}

/** The sites a moderator may moderate, sorted. */
export async function listAdminSites(db: Kysely<Database>, adminId: string): Promise<string[]> {
  const rows = await db.selectFrom('admin_sites').select('site').where('admin_id', '=', adminId).orderBy('site').execute();
  return rows.map((row) => row.site);
}

export async function replaceAdminSites(db: Kysely<Database>, adminId: string, sites: readonly string[]): Promise<void> {
  await db.deleteFrom('admin_sites').where('admin_id', '=', adminId).execute();
  if (sites.length > 0) await db.insertInto('admin_sites').values(sites.map((site) => ({ admin_id: adminId, site }))).execute();
}
