import type { Clock } from '../clock.ts';
import { AppError } from '../lib/errors.ts';
import { markTokenUsed } from '../store/used-tokens.repository.ts';
import type { Store } from '../store/store.ts';
import { tokenHash, type Identity } from './comments-identity.ts';

/**
 * Mailed links that act (privacy export/erase, reply opt-in, unsubscribe) work once: a link found
 * later in a forwarded mail, a proxy log or a browser history does nothing. The token's SHA-256 is
 * recorded when it is first followed, until the token would have expired anyway.
 */
export class SingleUseLinks {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly identity: () => Promise<Identity>,
  ) {}

  /**
   * Records the first use of a valid `purpose` token; 410 `link_used` on the second. Invalid or
   * expired tokens are left to the caller's own check (which answers 400), so garbage is never stored.
   */
  async consume(purpose: string, token: string): Promise<void> {
    const now = this.clock.now();
    const payload = (await this.identity()).verify(purpose, token, now.getTime());
    if (!payload) return;
    const first = await markTokenUsed(this.store.db, {
      token_hash: tokenHash(token),
      purpose,
      used_at: now.toISOString(),
      expires_at: new Date(payload.x).toISOString(),
    });
    if (!first) throw new AppError(410, 'link_used', 'This link has already been used; ask for a new one');
  }
}
