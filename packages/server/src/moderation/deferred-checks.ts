import { sql } from 'kysely';
import { rateLimitUpsert } from '../rate-limit/database-store.ts';
import { hitAll, type RateLimitCheck, type RateLimitStore } from '../rate-limit/rate-limit.ts';
import { failUnless, isCheckFailure, type GuardedWrites } from '../store/guards.ts';

/**
 * PostgreSQL: the gate's checks that read the database — the rate limits and the duplicate rule —
 * left to the comment's own write instead of a round trip each before it. The counters' upsert
 * becomes one more write of the change's last statement (it commits with the comment), and guards
 * in the same statement fail the transaction when a count went over its limit or the body was
 * posted recently. The comments service then runs the post again the plain way, which answers
 * exactly as it always did (429 with Retry-After, 422 `duplicate`) and counts the attempt. An
 * attempt that ends before its write (refused by a rule, a closed thread, a missing parent) is
 * counted with `count()`, so every attempt still counts, as when the limits came first.
 */
export interface DeferredChecks {
  /** In the change: the counters' upsert and the guards, on its last statement. */
  attach(writes: GuardedWrites): void;
  /** The attempt ended before its write: count it against the limits anyway. */
  count(): Promise<void>;
}

export interface DuplicateRule {
  site: string;
  bodyHash: string;
  actors: readonly string[];
  /** Posts after this time (ISO) count. */
  since: string;
}

export function deferredChecks(limits: RateLimitStore, checks: readonly RateLimitCheck[], now: Date, duplicate: DuplicateRule | undefined): DeferredChecks {
  const hits = checks.map((check) => ({ key: check.key, windowMs: check.windowSeconds * 1000 }));
  return {
    attach(writes) {
      if (checks.length > 0) {
        const counters = sql.table(writes.laterNamed(rateLimitUpsert(writes.trx, hits, now)));
        const over = sql.join(checks.map((check) => sql`(key = ${check.key} and "count" > ${check.max})`), sql` or `);
        writes.guard(failUnless('rate limit', sql`not exists (select 1 from ${counters} where ${over})`, sql`(select max("count") from ${counters})`));
      }
      if (duplicate && duplicate.actors.length > 0) {
        const seen = sql`from content_fingerprints where site = ${duplicate.site} and body_hash = ${duplicate.bodyHash}
          and actor_hash in (${sql.join(duplicate.actors)}) and created_at > ${duplicate.since}`;
        writes.guard(failUnless('duplicate', sql`not exists (select 1 ${seen})`, sql`(select max(created_at) ${seen})`));
      }
    },
    async count() {
      await hitAll(limits, hits);
    },
  };
}

/** The post's write failed one of its deferred checks: run it again the plain way. */
export const isDeferredCheckFailure = (error: unknown): boolean => isCheckFailure(error, 'rate limit') || isCheckFailure(error, 'duplicate');
