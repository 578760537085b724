import pg from 'pg';
import { metrics } from '../observability/metrics.ts';

/** How many distinct SQL texts get a server-side prepared statement (per process, so per connection at most this many). */
const PREPARED_STATEMENTS = 200;
const WRAPPED = Symbol('parley.wrapped');

type Query = (text: unknown, values?: unknown) => Promise<pg.QueryResult | pg.QueryResult[]>;
const EMPTY = (command: string): pg.QueryResult => ({ command, rowCount: null, oid: 0, rows: [], fields: [] });

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
    const send = async (text: string, values: unknown[]): Promise<pg.QueryResult> => {
      metrics.dbRoundTrips.inc();
      const name = values.length > 0 ? nameFor(text) : undefined;
      const result = await (name ? query({ name, text, values }) : query(text, values));
      return Array.isArray(result) ? result[result.length - 1]! : result;
    };
    (client as { query: unknown }).query = async (text: unknown, values?: unknown): Promise<pg.QueryResult> => {
      // Only Kysely's own calls (text plus an array of values) are rearranged; anything else passes.
      if (typeof text !== 'string' || !Array.isArray(values)) return (await query(text, values)) as pg.QueryResult;
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
