import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import { databaseKind, type DatabaseKind } from '../config.ts';
import { metrics } from '../observability/metrics.ts';
import { wrapPool } from './pg-client.ts';

export interface DialectOptions {
  /** PostgreSQL only: the schema to use (tests isolate each run in a fresh one). */
  pgSchema?: string;
  /** SQLite only: `normal` (default) or `full` (an fsync per commit; see README, Operations). */
  sqliteSynchronous?: SqliteSynchronous;
  /** PostgreSQL only: false sends every statement unnamed (a pooler that cannot keep prepared statements). */
  pgPreparedStatements?: boolean;
}

export type SqliteSynchronous = 'normal' | 'full';

export interface ResolvedDialect {
  kind: DatabaseKind;
  dialect: Dialect;
}

/** The URL scheme picks the dialect: `file:` → SQLite, `postgres(ql)://` → PostgreSQL. */
export function createDialect(url: string, options: DialectOptions = {}): ResolvedDialect {
  const kind = databaseKind(url);
  if (kind === 'sqlite') return { kind, dialect: sqliteDialect(url.slice('file:'.length), options.sqliteSynchronous ?? 'normal') };
  if (kind === 'postgres') return { kind, dialect: postgresDialect(url, options.pgSchema, options.pgPreparedStatements ?? true) };
  throw new Error(`Unsupported DATABASE_URL "${url}": use file:PATH, postgres:// or postgresql://`);
}

function sqliteDialect(filePath: string, synchronous: SqliteSynchronous): Dialect {
  const inMemory = filePath === ':memory:' || filePath === '';
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const database = new SQLite(inMemory ? ':memory:' : filePath);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  // WAL + NORMAL: a commit is safe from a crash of the process (kill -9) at once, and from a crash
  // of the machine once the WAL is checkpointed; FULL also fsyncs every commit, which costs a
  // comment's post about a fifth of its CPU. PARLEY_SQLITE_SYNCHRONOUS=full restores it.
  database.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  // A CLI import and a running server may share the file; wait rather than fail at once.
  database.pragma('busy_timeout = 5000');
  return withSafeRollback(new SqliteDialect({ database: withStatementCache(database) }));
}

/** Prepared statements kept per SQL text; the hot paths run a few dozen distinct statements. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 prepares (parses and plans) every statement it is given; Kysely hands it the
 * same SQL text again and again. Keeping prepared statements by text makes a repeat cost a map
 * lookup. Safe: Kysely runs one statement at a time on its single SQLite connection.
 */
function withStatementCache(database: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SQLite.Statement {
      let statement = statements.get(sql);
      if (statement) {
        // Most recently used last, so the oldest goes first when full.
        statements.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

/**
 * Kysely rolls back when a transaction's work or its COMMIT throws. SQLite has often rolled back by
 * itself by then (SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY), and a dead PostgreSQL connection cannot
 * roll back at all: the ROLLBACK then throws ("cannot rollback - no transaction is active") and
 * that error replaces the real one. A failed rollback is dropped here, so the original error
 * (SQLITE_FULL…) is the one that reaches the error handler and the log.
 */
function withSafeRollback<T extends Dialect>(dialect: T): T {
  const createDriver = dialect.createDriver.bind(dialect);
  dialect.createDriver = () => {
    const driver = createDriver();
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection) => {
      try {
        await rollback(connection);
      } catch {
        // The transaction is over either way; the caller rethrows the error that made it fail.
      }
    };
    return driver;
  };
  return dialect;
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/**
 * Rows must look the same as from SQLite: COUNT(*) and other int8 come back as numbers,
 * not strings. Set per pool so we never touch pg's process-wide parsers.
 */
const sameShapeAsSqlite: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === PG_INT8 || oid === PG_NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

function postgresDialect(connectionString: string, schema: string | undefined, prepared: boolean): Dialect {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/i.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
  const pool = new pg.Pool({
    connectionString,
    types: sameShapeAsSqlite,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // /metrics reports the pool until it ends (pg marks an ended pool with `ended`).
  metrics.trackPool(() => (pool.ended ? undefined : { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }));
  return withSafeRollback(new PostgresDialect({ pool: wrapPool(pool, { prepared }) }));
}
