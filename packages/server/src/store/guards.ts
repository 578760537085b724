import { sql, type RawBuilder } from 'kysely';
import type { LaterWrite, Writes } from './later-writes.ts';

const FAILED = 'parley: check failed: ';

/**
 * A select-list expression for a change's last statement (PostgreSQL): 1 when `ok` holds under the
 * statement's snapshot, else an error that fails the whole transaction and that `isCheckFailure`
 * recognises by `name`. `ok` must never be null. `detail` must read a table: the error's text is
 * built from it so that the planner cannot fold the error into a constant and raise it on every
 * call (PostgreSQL evaluates constant subexpressions of a CASE at planning time).
 */
export function failUnless(name: string, ok: RawBuilder<unknown>, detail: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`case when ${ok} then 1 else cast(concat(${`${FAILED}${name} `}::text, ${detail}) as integer) end`;
}

export function isCheckFailure(error: unknown, name: string): boolean {
  return error instanceof Error && (error as { code?: string }).code === '22P02' && error.message.includes(`${FAILED}${name} `);
}

/** What a change's writes may carry besides themselves: guards, and writes whose rows a guard reads. */
export interface GuardedWrites extends Writes {
  /** Adds `ok`-or-fail to the change's last statement (see failUnless). */
  guard(expression: RawBuilder<number>): void;
  /** A later write whose RETURNING rows a guard reads: answers its name in that statement. */
  laterNamed(write: LaterWrite): string;
}
