import type { Kysely } from 'kysely';
import { hasActiveBan, listActiveBans } from '../store/bans.repository.ts';
import type { Database } from '../store/schema.ts';
import type { Notifier } from './live/notifier.ts';

type Hash = { kind: 'email' | 'ip'; valueHash: string };
/** `kind:hash` → when the longest ban on it ends (null: never). */
type SiteBans = Map<string, string | null>;

/** Sites with more active bans than this are not held in memory: their checks ask the database. */
const MAX_BANS_PER_SITE = 20_000;

/**
 * Active bans per site, held in memory. Every posted comment asks "is this author banned?" and bans
 * change a few times a day, so the answer should not cost a database round trip per post. A site's
 * bans load on first use and are dropped when any instance bans or unbans there (a `bans` change on
 * the notifier, which crosses processes on PostgreSQL) or when changes may have been missed (resync).
 * A ban takes effect on other instances when its notification arrives, as a first page does.
 */
export class BanCache {
  readonly #sites = new Map<string, Promise<SiteBans | undefined>>();
  /** Without a notifier nothing says when bans change: every check asks the database. */
  #following = false;

  constructor(private readonly db: Kysely<Database>) {}

  /** Follows ban changes of every instance; only then are bans held in memory. */
  follow(notifier: Notifier): void {
    this.#following = true;
    notifier.subscribeAll((change) => {
      if (change.kind === 'bans') this.#sites.delete(change.site);
    });
    notifier.onResync(() => this.#sites.clear());
  }

  /** This process changed the site's bans (other processes hear it through the notifier). */
  forget(site: string): void {
    this.#sites.delete(site);
  }

  async isBanned(site: string, hashes: readonly Hash[], now: string): Promise<boolean> {
    if (hashes.length === 0) return false;
    const bans = this.#following ? await this.#load(site, now) : undefined;
    if (!bans) return hasActiveBan(this.db, site, hashes, now);
    return hashes.some((hash) => {
      const until = bans.get(`${hash.kind}:${hash.valueHash}`);
      return until === null || (until !== undefined && until > now);
    });
  }

  #load(site: string, now: string): Promise<SiteBans | undefined> {
    let loading = this.#sites.get(site);
    if (!loading) {
      loading = listActiveBans(this.db, site, now, MAX_BANS_PER_SITE + 1).then((rows) => {
        if (rows.length > MAX_BANS_PER_SITE) return undefined;
        const bans: SiteBans = new Map();
        for (const row of rows) {
          const key = `${row.kind}:${row.value_hash}`;
          const until = bans.get(key);
          if (until === null || (until !== undefined && row.expires_at !== null && until >= row.expires_at)) continue;
          bans.set(key, row.expires_at);
        }
        return bans;
      });
      // A failed load is not kept: the next post tries again.
      loading.catch(() => this.#sites.get(site) === loading && this.#sites.delete(site));
      this.#sites.set(site, loading);
    }
    return loading;
  }
}
