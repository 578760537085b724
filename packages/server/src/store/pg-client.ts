import pg from 'pg';
import { metrics } from '../observability/metrics.ts';

/** How many distinct SQL texts get a server-side prepared statement (per process, so per connection at most this many). */
const PREPARED_STATEMENTS = 200;
const WRAPPED = Symbol('parley.wrapped');

type Query = (text: unknown, values?: unknown) => Promise<pg.QueryResult | pg.QueryResult[]>;
const EMPTY = (command: string): pg.QueryResult => ({ command, rowCount: null, oid: 0, rows: [], fields: [] });

/**
 * Marks a statement whose rows nobody reads (a change's later writes, sent last in its
 * transaction): the wrapper may hold it back and send it in one message with the COMMIT.
 */
export const THEN_COMMIT_MARK = '/* parley:then-commit */ ';

interface PgConnection {
  parse(query: { text: string; name?: string; types?: unknown[] }): void;
  bind(config: { portal?: string; statement?: string; values?: unknown[] }): void;
  execute(config: { portal?: string; rows?: number }): void;
  sync(): void;
}

/**
 * A statement and COMMIT pipelined in the extended protocol: Parse/Bind/Execute of the statement,
 * Parse/Bind/Execute of `commit`, one Sync, so one message out and one answer back. When the
 * statement fails, PostgreSQL skips the COMMIT (it discards up to the Sync) and the transaction is
 * left aborted; the caller's ROLLBACK ends it, as after any failed statement.
 */
class ThenCommitQuery extends (pg.Query as unknown as new (config: object) => { portal: string }) {
  _getRows(connection: PgConnection, rows?: number): void {
    connection.execute({ portal: this.portal, ...(rows ? { rows } : {}) });
    connection.parse({ text: 'commit', name: '', types: [] });
    connection.bind({ portal: '', statement: '', values: [] });
    connection.execute({ portal: '' });
    connection.sync();
  }
}

/**
 * Wraps the pool Kysely uses on PostgreSQL so that a transaction costs fewer round trips and less
 * parsing. Every round trip costs the Node process and the backend about as much as a simple
 * statement's work, and a posted comment used to make eleven.
 *
 * - **Named statements.** PostgreSQL parses and plans every unnamed statement it is sent; Kysely
 *   sends the same texts again and again. A named statement is parsed once per connection and then
 *   only bound and run, which roughly halves the backend's CPU for a posted comment. Names go to
 *   the first PREPARED_STATEMENTS distinct texts with parameters only: texts that vary (IN lists of
 *   any length) must not grow every connection's statement list without end. `prepared: false`
 *   turns this off (transaction-mode poolers).
 * - **BEGIN travels with the first statement.** Kysely sends `begin` alone; here it waits and goes
 *   out in front of the transaction's first statement when that one has no parameters (the simple
 *   protocol takes several statements in one message), or just before it otherwise. A transaction
 *   that ends before any statement sends neither BEGIN nor COMMIT.
 * - **COMMIT travels with the last write.** A statement marked with THEN_COMMIT_MARK (a change's
 *   later writes, whose rows nobody reads) waits; when COMMIT follows, both go out in one
 *   pipelined message (ThenCommitQuery). ROLLBACK drops it (it would be undone); any other
 *   statement sends it first. Its failure then surfaces at COMMIT, which Kysely answers with
 *   ROLLBACK, so the transaction still ends the same way.
 * - **Several statements, one answer.** A parameterless text of several statements answers with
 *   its last statement's rows (pg gives an array of results), which is what Kysely reads.
 */
export function wrapPool(pool: pg.Pool, options: { prepared: boolean }): pg.Pool {
  const names = new Map<string, string>();
  const nameFor = (text: string): string | undefined => {
    // `select *` / `returning *`: a migration that adds a column changes their result type, and a
    // prepared one then fails ("cached plan must not change result type") on every instance still
    // running during a rolling upgrade. They run unnamed (so does `count(*)`, at little cost).
    if (!options.prepared || text.includes('*')) return undefined;
    let name = names.get(text);
    if (name === undefined && names.size < PREPARED_STATEMENTS) {
      name = `parley_${names.size}`;
      names.set(text, name);
    }
    return name;
  };
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const wrapped = async (): Promise<pg.PoolClient> => {
    const client = await connect();
    const marked = client as pg.PoolClient & { [WRAPPED]?: true };
    if (marked[WRAPPED]) return client;
    marked[WRAPPED] = true;
    const query = client.query.bind(client) as Query;
    let beginPending = false;
    /** Between BEGIN and COMMIT/ROLLBACK: only there may a statement wait for the COMMIT. */
    let inTransaction = false;
    let held: { text: string; values: unknown[] } | undefined;
    const send = async (text: string, values: unknown[], thenCommit = false): Promise<pg.QueryResult> => {
      metrics.dbRoundTrips.inc();
      const name = values.length > 0 ? nameFor(text) : undefined;
      const result = await (thenCommit
        ? new Promise<pg.QueryResult | pg.QueryResult[]>((resolve, reject) => {
            const callback = (error: Error | null, answer: pg.QueryResult | pg.QueryResult[]) => (error ? reject(error) : resolve(answer));
            void query(new ThenCommitQuery({ ...(name ? { name } : {}), text, values, queryMode: 'extended', callback }));
          })
        : name ? query({ name, text, values }) : query(text, values));
      return Array.isArray(result) ? result[result.length - 1]! : result;
    };
    (client as { query: unknown }).query = async (text: unknown, values?: unknown): Promise<pg.QueryResult> => {
      // Only Kysely's own calls (text plus an array of values) are rearranged; anything else passes.
      if (typeof text !== 'string' || !Array.isArray(values)) return (await query(text, values)) as pg.QueryResult;
      if (text === 'begin') inTransaction = true;
      else if (text === 'commit' || text === 'rollback') inTransaction = false;
      if (held) {
        const { text: heldText, values: heldValues } = held;
        held = undefined;
        if (text === 'commit') {
          await send(heldText, heldValues, true);
          return EMPTY('COMMIT');
        }
        if (text !== 'rollback') await send(heldText, heldValues);
      } else if (text.startsWith(THEN_COMMIT_MARK) && inTransaction && !beginPending) {
        held = { text: text.slice(THEN_COMMIT_MARK.length), values };
        return EMPTY('SELECT');
      }
      if (text === 'begin' && values.length === 0 && !beginPending) {
        beginPending = true;
        return EMPTY('BEGIN');
      }
      if (beginPending) {
        beginPending = false;
        if (text === 'commit' || text === 'rollback') return EMPTY(text.toUpperCase());
        if (values.length === 0) return send(`begin;${text}`, values);
        await send('begin', []);
      }
      return send(text, values);
    };
    return client;
  };
  // Kysely needs only these two of a pool.
  return { connect: wrapped, end: () => pool.end() } as unknown as pg.Pool;
}
