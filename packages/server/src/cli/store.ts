import { existsSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { databaseKind, type Config } from '../config.ts';
import { openStore, storeOptions, type Store } from '../store/store.ts';

/** The SQLite file a `file:` URL names, or undefined for memory and PostgreSQL. */
export function sqliteFile(url: string): string | undefined {
  if (databaseKind(url) !== 'sqlite') return undefined;
  const file = url.slice('file:'.length);
  return file === '' || file === ':memory:' ? undefined : path.resolve(file);
}

/**
 * Opens the store (migrated unless `migrate: false`), runs `work`, closes it. A run that throws
 * leaves no trace: a SQLite file it created, with its
 * WAL files and the folder made for it, is removed again — a typo must not leave an empty
 * database behind for the next command to find.
 */
export async function withStore(
  config: Pick<Config, 'databaseUrl' | 'pgSchema' | 'sqliteSynchronous' | 'pgPreparedStatements'>,
  work: (store: Store) => Promise<number>,
  options: { migrate?: boolean } = {},
): Promise<number> {
  const removeIfNew = newDatabaseRemover(config.databaseUrl);
  const store = openStore(config.databaseUrl, storeOptions(config));
  let failed = true;
  try {
    if (options.migrate !== false) await store.migrate();
    const code = await work(store);
    failed = false;
    return code;
  } finally {
    await store.close();
    if (failed) removeIfNew();
  }
}

/**
 * Call before opening the store: the function returned removes the SQLite file (with its WAL files
 * and the folder made for it) if this command is the one that created it. A no-op for PostgreSQL
 * and for files that were there already.
 */
export function newDatabaseRemover(databaseUrl: string): () => void {
  const file = sqliteFile(databaseUrl);
  if (file === undefined || existsSync(file)) return () => {};
  const createdDir = !existsSync(path.dirname(file));
  return () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
    if (createdDir && readdirSync(path.dirname(file)).length === 0) rmdirSync(path.dirname(file));
  };
}
