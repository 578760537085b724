import { Kysely, Migrator, sql, type MigrationResultSet, type Transaction } from 'kysely';
import type { Config, DatabaseKind } from '../config.ts';
import { createDialect, type DialectOptions } from './dialect.ts';
import { migrationProvider, migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { restoreDeferredIndexes } from './deferred-indexes.ts';

export type { Database } from './schema.ts';

/** What services depend on: the query builder, plus the few lifecycle operations around it. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: DatabaseKind;
  /** Applies pending migrations; throws if any fails. */
  migrate(): Promise<MigrationResultSet>;
  /** Runs `work` in one transaction: commits if it resolves, rolls back if it throws. */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** A cheap round trip, for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type OpenStoreOptions = DialectOptions;

/** The store options a configuration asks for (the server and the CLI open the store alike). */
export function storeOptions(config: Pick<Config, 'pgSchema' | 'sqliteSynchronous' | 'pgPreparedStatements'>): OpenStoreOptions {
  return {
    ...(config.pgSchema ? { pgSchema: config.pgSchema } : {}),
    ...(config.pgPreparedStatements !== undefined ? { pgPreparedStatements: config.pgPreparedStatements } : {}),
    ...(config.sqliteSynchronous ? { sqliteSynchronous: config.sqliteSynchronous } : {}),
  };
}

export function openStore(url: string, options: OpenStoreOptions = {}): Store {
  const { kind, dialect } = createDialect(url, options);
  const db = new Kysely<Database>({ dialect });
  let closed = false;
  return {
    db,
    dialect: kind,
    async migrate() {
      // Kysely looks for its bookkeeping tables across every schema unless told which one: with
      // several stores in one PostgreSQL database (one schema each) it would see the others'.
      await refuseNewerSchema(db);
      // Before any migration touches them: indexes an import killed mid-way had deferred.
      await db.transaction().execute((trx) => restoreDeferredIndexes(trx, kind));
      const migrator = new Migrator({
        db,
        provider: migrationProvider,
        ...(options.pgSchema ? { migrationTableSchema: options.pgSchema } : {}),
      });
      const result = await migrator.migrateToLatest();
      if (result.error) {
        const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
        throw new Error(`Migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
      }
      return result;
    },
    transaction: (work) => db.transaction().execute(work),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/** Thrown when the database was migrated by a newer Parley than this one. */
export class NewerSchemaError extends Error {}

/**
 * A database a newer Parley has migrated has tables and columns this version does not know;
 * running on it (or a downgrade "migrating" it) could corrupt it. Stop with a message instead.
 */
async function refuseNewerSchema(db: Kysely<Database>): Promise<void> {
  let applied: string[];
  try {
    const result = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    applied = result.rows.map((row) => row.name);
  } catch {
    return; // no bookkeeping table yet: a fresh database
  }
  const unknown = applied.filter((name) => !Object.hasOwn(migrations, name)).sort();
  if (unknown.length > 0) {
    throw new NewerSchemaError(
      `This database was migrated by a newer version of Parley (unknown migration${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}). ` +
        'Run that version (or newer), or restore a backup taken before the upgrade; this version will not touch it.',
    );
  }
}
