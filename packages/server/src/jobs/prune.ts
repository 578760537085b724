import type { Clock } from '../clock.ts';
import type { SiteRegistry } from '../sites/registry.ts';
import { pruneFingerprints } from '../store/fingerprints.repository.ts';
import { pruneOutbox } from '../store/outbox.repository.ts';
import { pruneIdempotencyKeys } from '../services/idempotency.ts';
import { pruneCommentEvents } from '../services/live/feed.ts';
import { pruneUsedTokens } from '../store/used-tokens.repository.ts';
import type { Store } from '../store/store.ts';
import type { PeriodicJob } from './runner.ts';

const HOUR = 3_600_000;
/** Sent and failed outbox rows are kept this long for the record, then pruned. */
export const OUTBOX_KEEP_DAYS = 7;

/**
 * The tables that grow with every post and need no history: rate-limit windows that ended,
 * content fingerprints older than the longest duplicate window, idempotency keys past their 24 h,
 * stream events past the replay window (and those of comments no longer public), used single-use
 * link tokens that expired, outbox rows long sent.
 */
export function pruneJobs(deps: { store: Store; clock: Clock; sites: SiteRegistry }): PeriodicJob[] {
  const db = deps.store.db;
  const longestDuplicateWindowMs = () => Math.max(3600, ...deps.sites.list().map((site) => site.duplicateWindowSeconds)) * 1000;
  return [
    {
      name: 'prune:rate_limits',
      everyMs: 10 * 60_000,
      async run(now) {
        const result = await db.deleteFrom('rate_limits').where('reset_at', '<=', now.toISOString()).executeTakeFirst();
        return Number(result.numDeletedRows);
      },
    },
    {
      name: 'prune:content_fingerprints',
      everyMs: HOUR,
      run: (now) => pruneFingerprints(db, new Date(now.getTime() - longestDuplicateWindowMs()).toISOString()),
    },
    {
      name: 'prune:idempotency_keys',
      everyMs: HOUR,
      run: (now) => pruneIdempotencyKeys(db, now),
    },
    {
      // Events older than the replay window, and the content-bearing events of comments readers no longer see.
      name: 'prune:comment_events',
      everyMs: HOUR,
      run: (now) => pruneCommentEvents(db, now),
    },
    {
      name: 'prune:used_tokens',
      everyMs: 6 * HOUR,
      run: (now) => pruneUsedTokens(db, now),
    },
    {
      name: 'prune:outbox',
      everyMs: 6 * HOUR,
      run: (now) => pruneOutbox(db, new Date(now.getTime() - OUTBOX_KEEP_DAYS * 24 * HOUR).toISOString()),
    },
  ];
}
