import { ulid } from 'ulidx';
import type { Ban, FlagResult, NewBan, NewFlag } from '@parley/schema';
import { isoNow, type Clock } from '../clock.ts';
import { AppError } from '../lib/errors.ts';
import { assertOriginAllowed } from '../middleware/site-origin.ts';
import { DatabaseRateLimitStore } from '../rate-limit/database-store.ts';
import { enforceRateLimits, type RateLimitStore } from '../rate-limit/rate-limit.ts';
import type { SiteRegistry } from '../sites/registry.ts';
import { deleteBan, insertBan, listActiveBans } from '../store/bans.repository.ts';
import { BanCache } from './ban-cache.ts';
import type { Notifier } from './live/notifier.ts';
import { countFlags, findCommentForFlag, insertFlag, listFlaggedComments } from '../store/flags.repository.ts';
import type { BanRow } from '../store/moderation.schema.ts';
import { getOrCreateSetting } from '../store/comments.repository.ts';
import { Identity, newSecret } from './comments-identity.ts';
import type { Store } from '../store/store.ts';

/** Flags a reader may raise per IP per hour, across comments. */
export const FLAGS_PER_IP_PER_HOUR = 20;

/**
 * Reader flags and author bans. One server secret keys every IP hash — the comments service's
 * (PARLEY_SECRET, else the `settings` table's `secret`) — so a ban by IP matches `comments.ip_hash`
 * and the gate's hash of the poster. (Migration 0004's `secrets.hash_salt` is left in place, unused
 * for IPs: flags made before keep their old reporter hashes, which only dedupe flags.)
 */
export class ModerationService {
  #identity: Promise<Identity> | undefined;
  readonly #limits: RateLimitStore;
  readonly #bans: BanCache;
  #notifier: Notifier | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly sites: SiteRegistry,
    limits?: RateLimitStore,
    /** The comments service's identity (the one secret); default: the same, read from the `settings` table. */
    private readonly identity?: () => Promise<Identity>,
  ) {
    this.#limits = limits ?? new DatabaseRateLimitStore(store.db, clock, store.dialect === 'postgres');
    this.#bans = new BanCache(store.db);
  }

  /** The salted hash of an IP address, exactly as `comments.ip_hash` stores it (bans by IP, reporters). */
  async hashFor(ip: string): Promise<string> {
    this.#identity ??= (this.identity ? this.identity() : getOrCreateSetting(this.store.db, 'secret', newSecret).then((secret) => new Identity(secret))).catch(
      (error: unknown) => {
        this.#identity = undefined;
        throw error;
      },
    );
    return (await this.#identity).ipHash(ip);
  }

  /**
   * A reader reports a comment. One flag per reader (IP hash) per comment: a repeat is 409
   * `already_flagged`. The origin must be allowed by the comment's site. `queued` turns true when
   * the count reaches the site's `flagsToQueue` — the comment then shows in the flagged queue
   * (it stays published until a moderator acts).
   */
  async flag(commentId: string, input: NewFlag, request: { ip: string; origin: string | undefined }): Promise<FlagResult> {
    const comment = await findCommentForFlag(this.store.db, commentId);
    if (!comment || comment.status === 'deleted') throw new AppError(404, 'not_found', `No comment ${commentId}`);
    assertOriginAllowed(this.sites, comment.site, request.origin);
    const site = this.sites.get(comment.site);
    const reporterHash = await this.hashFor(request.ip);
    await enforceRateLimits(this.#limits, [{ key: `flag:ip:${reporterHash}`, max: FLAGS_PER_IP_PER_HOUR, windowSeconds: 3600, label: 'for flags' }]);
    const inserted = await insertFlag(this.store.db, {
      id: ulid(),
      comment_id: comment.id,
      site: comment.site,
      reason: input.reason,
      detail: input.detail ? input.detail : null,
      reporter_hash: reporterHash,
      created_at: isoNow(this.clock),
    });
    if (!inserted) throw new AppError(409, 'already_flagged', 'You have already reported this comment');
    const flags = await countFlags(this.store.db, comment.id);
    return { commentId: comment.id, flags, queued: flags >= site.flagsToQueue };
  }

  /** The flagged queue of a site (comment ids and counts; the console joins the comments). */
  flagged(siteId: string) {
    const site = this.sites.get(siteId);
    return listFlaggedComments(this.store.db, site.id, site.flagsToQueue);
  }

  async ban(input: NewBan): Promise<Ban> {
    this.sites.get(input.site);
    const now = this.clock.now();
    const row = await insertBan(this.store.db, {
      id: ulid(),
      site: input.site,
      kind: input.kind,
      value_hash: input.valueHash,
      reason: input.reason ? input.reason : null,
      created_at: now.toISOString(),
      expires_at: input.durationSeconds ? new Date(now.getTime() + input.durationSeconds * 1000).toISOString() : null,
    });
    this.#bansChanged(input.site);
    return toBan(row);
  }

  async bans(siteId: string): Promise<Ban[]> {
    return (await listActiveBans(this.store.db, siteId, isoNow(this.clock))).map(toBan);
  }

  async unban(id: string): Promise<void> {
    const site = await deleteBan(this.store.db, id);
    if (site === undefined) throw new AppError(404, 'not_found', `No ban ${id}`);
    this.#bansChanged(site);
  }

  /** Ban checks are answered from memory; bans made by this or another instance reach it through `notifier`. */
  useNotifier(notifier: Notifier): void {
    this.#notifier = notifier;
    this.#bans.follow(notifier);
  }

  #bansChanged(site: string): void {
    this.#bans.forget(site);
    this.#notifier?.publish({ kind: 'bans', site });
  }

  /** For comment posting: whether this author's email hash or IP hash is banned on the site now. */
  isBanned(siteId: string, who: { emailHash?: string | null; ipHash?: string | null }): Promise<boolean> {
    const hashes: Array<{ kind: 'email' | 'ip'; valueHash: string }> = [];
    if (who.emailHash) hashes.push({ kind: 'email', valueHash: who.emailHash });
    if (who.ipHash) hashes.push({ kind: 'ip', valueHash: who.ipHash });
    return this.#bans.isBanned(siteId, hashes, isoNow(this.clock));
  }
}

function toBan(row: BanRow): Ban {
  return { id: row.id, site: row.site, kind: row.kind, valueHash: row.value_hash, reason: row.reason, createdAt: row.created_at, expiresAt: row.expires_at };
}
