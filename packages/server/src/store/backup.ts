import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { databaseKind } from '../config.ts';

/**
 * SQLite backups while the server runs. The database is in WAL mode: the main file alone can be
 * kilobytes while the data sits in `-wal`, so copying it loses data. SQLite's online backup API
 * (better-sqlite3 `.backup()`) copies a consistent snapshot page by page, WAL included, while
 * readers and writers carry on. PostgreSQL: use `pg_dump` / `pg_restore` (see the README).
 */
export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
}

function sqlitePath(databaseUrl: string): string {
  if (databaseKind(databaseUrl) !== 'sqlite') {
    throw new Error('parley backup/restore handle SQLite only; for PostgreSQL use pg_dump and pg_restore (README: Backups)');
  }
  const file = databaseUrl.slice('file:'.length);
  if (file === '' || file === ':memory:') throw new Error('An in-memory database has nothing to back up');
  return path.resolve(file);
}

/** Writes a consistent copy of the live database to `target` (a single file, no -wal needed). */
export async function backupSqlite(databaseUrl: string, target: string): Promise<BackupResult> {
  const source = sqlitePath(databaseUrl);
  if (!existsSync(source)) throw new Error(`No database at ${source}`);
  const destination = path.resolve(target);
  const partial = `${destination}.partial`;
  const database = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    const { totalPages } = await database.backup(partial);
    // The copy is self-contained: turn WAL off in it so the one file is the whole backup.
    const copy = new SQLite(partial);
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('integrity_check', { simple: true });
    copy.close();
    if (check !== 'ok') throw new Error(`The backup failed its integrity check: ${String(check)}`);
    renameSync(partial, destination);
    return { file: destination, bytes: statSync(destination).size, pages: totalPages };
  } finally {
    database.close();
    rmSync(partial, { force: true });
  }
}

/**
 * Replaces the database with a backup. The server must be stopped: a running one keeps the old file
 * open. The current database is kept beside it as `<file>.before-restore`.
 */
export function restoreSqlite(databaseUrl: string, backupFile: string): { file: string; previous?: string } {
  const target = sqlitePath(databaseUrl);
  const source = path.resolve(backupFile);
  if (!existsSync(source)) throw new Error(`No backup at ${source}`);
  const check = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    const result = check.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`${source} is not a sound SQLite database: ${String(result)}`);
    check.prepare('select count(*) from kysely_migration').get();
  } catch (error) {
    throw new Error(`${source} is not a Parley backup: ${(error as Error).message}`, { cause: error });
  } finally {
    check.close();
  }
  let previous: string | undefined;
  if (existsSync(target)) {
    // Fold the old WAL in first, so `.before-restore` is complete on its own.
    const old = new SQLite(target);
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    previous = `${target}.before-restore`;
    renameSync(target, previous);
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  copyFileSync(source, target);
  return previous ? { file: target, previous } : { file: target };
}
