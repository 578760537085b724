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
/**
 * Marks a statement whose rows nobody reads and that may wait for the transaction's next one (a
 * page lock taken on a cached page state): it goes out in the same message, in front of it.
 */
export const WITH_NEXT_MARK = '/* parley:with-next */ ';

interface PgConnection {
  parse(query: { text: string; name?: string; types?: unknown[] }): void;
  bind(config: { portal?: string; statement?: string; values?: unknown[] }): void;
  describe(config: { type: 'P' | 'S'; name?: string }): void;
  execute(config: { portal?: string; rows?: number }): void;
  sync(): void;
}

interface Statement {
  text: string;
  values: unknown[];
}

/**
 * Statements pipelined in the extended protocol, one message out and one answer back: each of
 * `before` (unnamed: Parse/Bind/Describe/Execute), then the query itself, then — `thenCommit` —
 * a COMMIT, and one Sync. When one fails, PostgreSQL skips the rest up to the Sync and the
 * transaction is left aborted; the caller's ROLLBACK ends it, as after any failed statement. The
 * answer is every statement's result in order (the wrapper reads the query's own).
 */
class PipelinedQuery extends (pg.Query as unknown as new (config: object) => { portal: string; text: string }) {
  readonly before: readonly Statement[];
  readonly thenCommit: boolean;

  constructor(config: Record<string, unknown> & { before?: readonly Statement[]; thenCommit?: boolean }) {
    super(config);
    this.before = config.before ?? [];
    this.thenCommit = config.thenCommit ?? false;
  }

  prepare(connection: PgConnection): void {
    for (const { text, values } of this.before) {
      connection.parse({ text, name: '', types: [] });
      connection.bind({ portal: '', statement: '', values });
      connection.describe({ type: 'P', name: '' });
      connection.execute({ portal: '' });
    }
    (pg.Query.prototype as unknown as { prepare(connection: PgConnection): void }).prepare.call(this, connection);
  }

  _getRows(connection: PgConnection, rows?: number): void {
    connection.execute({ portal: this.portal, ...(rows ? { rows } : {}) });
    if (this.thenCommit) {
      connection.parse({ text: 'commit', name: '', types: [] });
      connection.bind({ portal: '', statement: '', values: [] });
      connection.execute({ portal: '' });
    }
    connection.sync();
  }
}

/**
 * Wraps the pool Kysely uses on PostgreSQL so that a transaction costs fewer round trips and less
 * parsing. Every round trip costs the Node process and the backend about as much as a simple
 * statement's work (more when either side has to be woken for it), and a posted comment used to
 * make eleven.
 *
 * - **Named statements.** PostgreSQL parses and plans every unnamed statement it is sent; Kysely
 *   sends the same texts again and again. A named statement is parsed once per connection and then
 *   only bound and run, which roughly halves the backend's CPU for a posted comment. Names go to
 *   the first PREPARED_STATEMENTS distinct texts with parameters only: texts that vary (IN lists of
 *   any length) must not grow every connection's statement list without end. `prepared: false`
 *   turns this off (transaction-mode poolers).
 * - **BEGIN travels with the first statement**, and so does a statement marked WITH_NEXT_MARK
 *   (parameterless: a page lock): they wait and go out in front of the transaction's next
 *   statement, in its message (the simple protocol takes several statements in one message; with
 *   parameters, PipelinedQuery). A transaction that ends before any statement sends nothing.
 * - **COMMIT travels with the last write.** A statement marked with THEN_COMMIT_MARK (a change's
 *   later writes, whose rows nobody reads) waits; when COMMIT follows, it goes out in one
 *   pipelined message with what waits in front of it and the COMMIT — BEGIN, lock, writes and
 *   COMMIT in one round trip when nothing else was read. ROLLBACK drops it (it would be undone);
 *   any other statement sends it first. Its failure then surfaces at COMMIT, which Kysely answers
 *   with ROLLBACK, so the transaction still ends the same way.
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
    /** Between BEGIN and COMMIT/ROLLBACK: only there may a statement wait. */
    let inTransaction = false;
    /** Parameterless statements that go out in front of the next one: a held BEGIN, a page lock. */
    let pending: string[] = [];
    let held: Statement | undefined;
    const send = async (text: string, values: unknown[], before: readonly string[] = [], thenCommit = false): Promise<pg.QueryResult> => {
      metrics.dbRoundTrips.inc();
      const last = (result: pg.QueryResult | pg.QueryResult[]) => (Array.isArray(result) ? result[result.length - 1]! : result);
      if (values.length === 0 && !thenCommit) return last(await query([...before, text].join(';'), values));
      const name = values.length > 0 ? nameFor(text) : undefined;
      if (before.length === 0 && !thenCommit) return last(await (name ? query({ name, text, values }) : query(text, values)));
      const results = await new Promise<pg.QueryResult | pg.QueryResult[]>((resolve, reject) => {
        const callback = (error: Error | null, answer: pg.QueryResult | pg.QueryResult[]) => (error ? reject(error) : resolve(answer));
        const statements = before.map((statement) => ({ text: statement, values: [] }));
        void query(new PipelinedQuery({ ...(name ? { name } : {}), text, values, queryMode: 'extended', before: statements, thenCommit, callback }));
      });
      return Array.isArray(results) ? results[before.length]! : results;
    };
    (client as { query: unknown }).query = async (text: unknown, values?: unknown): Promise<pg.QueryResult> => {
      // Only Kysely's own calls (text plus an array of values) are rearranged; anything else passes.
      if (typeof text !== 'string' || !Array.isArray(values)) return (await query(text, values)) as pg.QueryResult;
      if (text === 'begin' && values.length === 0 && !inTransaction) {
        inTransaction = true;
        pending = ['begin'];
        return EMPTY('BEGIN');
      }
      if (text === 'commit' || text === 'rollback') {
        inTransaction = false;
        const [before, write] = [pending, held];
        pending = [];
        held = undefined;
        // BEGIN still waiting: the transaction has run nothing, so there is nothing to end.
        const begun = before[0] !== 'begin';
        if (text === 'rollback') return begun ? send(text, values) : EMPTY('ROLLBACK');
        if (write) {
          await send(write.text, write.values, before, true);
          return EMPTY('COMMIT');
        }
        return begun ? send(text, values) : EMPTY('COMMIT');
      }
      if (inTransaction && !held) {
        if (text.startsWith(WITH_NEXT_MARK) && values.length === 0) {
          pending.push(text.slice(WITH_NEXT_MARK.length));
          return EMPTY('SELECT');
        }
        if (text.startsWith(THEN_COMMIT_MARK)) {
          held = { text: text.slice(THEN_COMMIT_MARK.length), values };
          return EMPTY('SELECT');
        }
      }
      let before = pending;
      pending = [];
      if (held) {
        const write = held;
        held = undefined;
        await send(write.text, write.values, before);
        before = [];
      }
      return send(text, values, before);
    };
    return client;
  };
  // Kysely needs only these two of a pool.
  return { connect: wrapped, end: () => pool.end() } as unknown as pg.Pool;
}
