import { CompiledQuery, type Kysely } from 'kysely';
import type { DatabaseKind } from '../config.ts';
import type { Database } from './schema.ts';

/**
 * Bulk writes for imports: multi-row `INSERT … VALUES` built as text, because Kysely's query
 * builder compiles every value into its own node (a 1,000-row insert of 20 columns is 20,000
 * nodes to build, walk and collect), which cost more CPU than SQLite spent storing the rows.
 */

/** Bind parameters a statement may carry: SQLite's SQLITE_MAX_VARIABLE_NUMBER, PostgreSQL's wire-protocol limit. */
export const MAX_PARAMETERS: Record<DatabaseKind, number> = { sqlite: 32_766, postgres: 65_535 };

/**
 * Splits `total` items into pieces of power-of-two sizes, at most `max` each: whole `max` pieces,
 * then the remainder's binary digits (937 → 512, 256, 128, 32, 8, 1). Any count then runs as a
 * handful of distinct statement texts, which both dialects prepare once and reuse (PostgreSQL
 * names only the first 200 texts per process: varying lengths must not use them up).
 */
export function* powerOfTwoPieces(total: number, max: number): Generator<{ start: number; size: number }> {
  let biggest = 1;
  while (biggest * 2 <= max) biggest *= 2;
  let start = 0;
  for (; total - start >= biggest; start += biggest) yield { start, size: biggest };
  for (let size = biggest / 2; size >= 1; size /= 2) {
    if (total - start < size) continue;
    yield { start, size };
    start += size;
  }
}

const statements = new Map<string, string>();

function insertText(kind: DatabaseKind, table: string, columns: readonly string[], rows: number, conflict: readonly string[] | undefined): string {
  const key = `${kind} ${table} ${columns.join(',')} ${rows} ${conflict?.join(',') ?? ''}`;
  let text = statements.get(key);
  if (text === undefined) {
    const tuples: string[] = [];
    let n = 0;
    for (let row = 0; row < rows; row++) tuples.push(`(${columns.map(() => (kind === 'postgres' ? `$${++n}` : '?')).join(', ')})`);
    const quote = (name: string) => `"${name}"`;
    text = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}`;
    if (conflict) text += ` on conflict (${conflict.map(quote).join(', ')}) do nothing`;
    statements.set(key, text);
  }
  return text;
}

/**
 * Inserts `rows` (plain objects with the same keys, in the same order: the first row names the
 * columns) in as few statements as the dialect's parameter limit allows. `doNothingOn` adds
 * `ON CONFLICT (columns) DO NOTHING`. Values go as bound parameters, never into the text.
 */
export async function insertMany<T extends object>(
  db: Kysely<Database>,
  kind: DatabaseKind,
  table: string,
  rows: readonly T[],
  doNothingOn?: readonly string[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const perStatement = Math.floor(MAX_PARAMETERS[kind] / columns.length);
  for (const { start, size } of powerOfTwoPieces(rows.length, perStatement)) {
    const parameters: unknown[] = [];
    for (let i = start; i < start + size; i++) {
      const row = rows[i] as Record<string, unknown>;
      for (const column of columns) parameters.push(row[column] ?? null);
    }
    await db.executeQuery(CompiledQuery.raw(insertText(kind, table, columns, size, doNothingOn), parameters));
  }
}

/**
 * `values` in IN-list chunks of at most `max`, each padded to a power-of-two length by repeating
 * its last value (harmless in IN), for the same reason as `powerOfTwoPieces`.
 */
export function* paddedInChunks<T>(values: readonly T[], max = 512): Generator<T[]> {
  for (let start = 0; start < values.length; start += max) {
    const chunk = values.slice(start, start + max);
    let size = 1;
    while (size < chunk.length) size *= 2;
    while (chunk.length < size) chunk.push(chunk[chunk.length - 1]!);
    yield chunk;
  }
}
