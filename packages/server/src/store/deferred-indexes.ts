import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../config.ts';
import type { Database } from './schema.ts';

/**
 * Bulk loads into an empty SQLite database build the read-side indexes once, at the end, instead
 * of row by row. Their keys (site + page, status, email, comment ids) arrive in random order, so
 * every 10,000-comment batch rewrote most of their leaf pages: on a 1 GB Disqus export SQLite's
 * work per comment grew from ~55 µs to ~160 µs as the file went on. Sorting once is a few seconds.
 *
 * Only indexes the import itself never reads are deferred: the comments' primary key (parents,
 * repeats) and the source ids' primary key stay. `comments_root_created_idx` is not read either:
 * replies that move under a late parent are found by id (migrate/pending-roots.ts).
 * `comments_parent_id_idx` is needed again only to prune deleted leaves, which happens after the
 * rebuild.
 *
 * Crash safety: each index's own `CREATE INDEX` text goes into `settings` in the transaction that
 * drops it, and leaves in the transaction that rebuilds it; `restoreDeferredIndexes` (run by every
 * `migrate()` and before every import) rebuilds whatever a killed import left out.
 */
export const DEFERRABLE_INDEXES = [
  'comments_site_page_status_created_idx',
  'comments_parent_id_idx',
  'comments_root_created_idx',
  'comments_site_page_parent_created_idx',
  'comments_site_page_parent_pinned_created_idx',
  'comments_site_status_id_idx',
  'comments_site_email_idx',
  'import_sources_comment_idx',
] as const;

const SETTING = 'import_deferred_indexes';

type Db = Kysely<Database>;

/**
 * In the caller's transaction: when the database is SQLite and holds no comment at all (a new site
 * being filled; nothing a running server could be showing), drops the deferrable indexes and
 * answers true. A running server keeps working meanwhile (its reads scan instead of seeking).
 */
export async function deferIndexesIfEmpty(db: Db, kind: DatabaseKind): Promise<boolean> {
  if (kind !== 'sqlite') return false;
  if ((await db.selectFrom('comments').select('id').limit(1).executeTakeFirst()) !== undefined) return false;
  const { rows } = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'index' and name in (${sql.join([...DEFERRABLE_INDEXES])})`.execute(db);
  if (rows.length === 0) return false;
  const kept = await db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirst();
  const pending: string[] = kept ? (JSON.parse(kept.value) as string[]) : [];
  await db
    .insertInto('settings')
    .values({ key: SETTING, value: JSON.stringify([...pending, ...rows.map((row) => row.sql)]) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
    .execute();
  for (const row of rows) await sql`drop index ${sql.id(row.name)}`.execute(db);
  return true;
}

/** Rebuilds indexes a deferring import dropped (its own, or one that was killed). A no-op otherwise. */
export async function restoreDeferredIndexes(db: Db, kind: DatabaseKind): Promise<void> {
  if (kind !== 'sqlite') return;
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'settings'`.execute(db);
  if (tables.rows.length === 0) return;
  const kept = await db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirst();
  if (!kept) return;
  for (const text of JSON.parse(kept.value) as string[]) {
    await sql.raw(text.replace(/^CREATE INDEX /i, 'CREATE INDEX IF NOT EXISTS ')).execute(db);
  }
  await db.deleteFrom('settings').where('key', '=', SETTING).execute();
}

/** WAL pages between automatic checkpoints while an import writes (SQLite's default is 1,000: 4 MB). */
export const IMPORT_CHECKPOINT_PAGES = 16_000;

/**
 * Runs `work` with SQLite checkpointing every 64 MB of WAL instead of every 4 MB (256 MB instead of
 * 16 MB in a database a first import made with 16 kB pages: import-page-size.ts), then puts the
 * connection's setting back. A 10,000-comment batch is more than 4 MB of pages, so every commit
 * used to copy its pages into the database file (and fsync it); pages that several batches touch
 * (index leaves) are now copied once per checkpoint. About 8–10 % of an import's CPU on a 200 MB
 * export. The WAL file grows to that size meanwhile; other connections read it as usual.
 */
export async function withImportCheckpoints<T>(db: Db, kind: DatabaseKind, work: () => Promise<T>): Promise<T> {
  if (kind !== 'sqlite') return work();
  const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
  const previous = rows[0]?.wal_autocheckpoint ?? 1000;
  await sql.raw(`pragma wal_autocheckpoint = ${IMPORT_CHECKPOINT_PAGES}`).execute(db);
  try {
    return await work();
  } finally {
    await sql.raw(`pragma wal_autocheckpoint = ${Number(previous)}`).execute(db);
  }
}
