import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/**
 * Page size for a SQLite database that a first bulk import is about to fill.
 *
 * SQLite reads and writes one page per system call: every WAL frame (two writes), every page a
 * checkpoint copies, every page its cache misses. With the default 4 kB pages a Disqus export cost
 * about seven such calls per comment, and on a VM each call costs microseconds of kernel time (a
 * third of the import's CPU was the kernel's). 16 kB pages cut them by 60 % (200 MB export: 1.30 M
 * writes and 1.04 M reads → 0.48 M and 0.41 M) with the same page cache in bytes. Bigger pages
 * would make each random index update rewrite more bytes.
 */
export const BULK_LOAD_PAGE_SIZE = 16_384;

/**
 * Before `parley import-comments` opens the store: when the SQLite file `file` does not exist yet,
 * or holds no comment at all and has smaller pages, makes it (or rebuilds it: a VACUUM of an empty
 * database) with `BULK_LOAD_PAGE_SIZE` pages, and answers true. The database keeps them afterwards
 * (servers read it as any other).
 *
 * A connection of its own, closed before the store opens: SQLite changes the page size of a WAL
 * database only by leaving WAL mode for the VACUUM, which needs the file to itself (and done on
 * the store's connection, the VACUUM left ~40 MB more resident for the rest of the import). When
 * another process has the file open (a running server), nothing changes and the import goes on
 * with the pages it has.
 *
 * Crash safety: the VACUUM runs with a rollback journal and is atomic; a crash before WAL mode is
 * back leaves a database that every connection puts back into WAL mode when it opens it.
 */
export function enlargePagesIfEmpty(file: string): boolean {
  if (!existsSync(file)) mkdirSync(path.dirname(file), { recursive: true });
  // No waiting for another connection's lock: that means "someone uses this file".
  const db = new SQLite(file, { timeout: 0 });
  try {
    if (Number(db.pragma('page_size', { simple: true })) >= BULK_LOAD_PAGE_SIZE) return false;
    const hasCommentsTable = db.prepare(`select 1 from sqlite_master where type = 'table' and name = 'comments'`).get() !== undefined;
    if (hasCommentsTable && db.prepare('select 1 from comments limit 1').get() !== undefined) return false;
    let mode: unknown;
    try {
      mode = db.pragma('journal_mode = delete', { simple: true });
    } catch {
      return false;
    }
    if (mode !== 'delete') return false;
    try {
      db.pragma(`page_size = ${BULK_LOAD_PAGE_SIZE}`);
      db.exec('vacuum');
    } finally {
      try {
        db.pragma('journal_mode = wal');
      } catch {
        // Someone opened the file meanwhile: the store's connection puts it back into WAL mode.
      }
    }
    return Number(db.pragma('page_size', { simple: true })) === BULK_LOAD_PAGE_SIZE;
  } finally {
    db.close();
  }
}
