import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import { databaseKind, type DatabaseKind } from '../config.ts';
import { metrics } from '../observability/metrics.ts';

export interface DialectOptions {
  /** PostgreSQL only: the schema to use (tests isolate each run in a fresh one). */
  pgSchema?: string;
}

export interface ResolvedDialect {
  kind: DatabaseKind;
  dialect: Dialect;
}

/** The URL scheme picks the dialect: `file:` → SQLite, `postgres(ql)://` → PostgreSQL. */
export function createDialect(url: string, options: DialectOptions = {}): ResolvedDialect {
  const kind = databaseKind(url);
  if (kind === 'sqlite') return { kind, dialect: sqliteDialect(url.slice('file:'.length)) };
  if (kind === 'postgres') return { kind, dialect: postgresDialect(url, options.pgSchema) };
  throw new Error(`Unsupported DATABASE_URL "${url}": use file:PATH, postgres:// or postgresql://`);
}

function sqliteDialect(filePath: string): Dialect {
  const inMemory = filePath === ':memory:' || filePath === '';
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const database = new SQLite(inMemory ? ':memory:' : filePath);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  // A CLI import and a running server may share the file; wait rather than fail at once.
  database.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database });
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

function postgresDialect(connectionString: string, schema: string | undefined): Dialect {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/i.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
  const pool = new pg.Pool({
    connectionString,
    types: sameShapeAsSqlite,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // /metrics reports the pool until it ends (pg marks an ended pool with `ended`).
  metrics.trackPool(() => (pool.ended ? undefined : { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }));
  return new PostgresDialect({ pool });
}
