import { emailHash, type Identity } from '../services/comments-identity.ts';

/** Cleared when full: a bound on memory however many readers an export has. */
const LIMIT = 50_000;

/**
 * Readers comment many times: the hashes made from their email (the Gravatar hash and the
 * identicon seed, an HMAC) or, without one, from their name are made once per import run, for
 * every file of it. A comment with neither is seeded by its own id: nothing to share.
 */
export class AuthorHashes {
  private readonly byEmail = new Map<string, { emailHash: string | null; avatar: string }>();
  private readonly avatarByName = new Map<string, string>();

  constructor(private readonly identity: Identity) {}

  email(email: string): { emailHash: string | null; avatar: string } {
    let known = this.byEmail.get(email);
    if (!known) {
      if (this.byEmail.size >= LIMIT) this.byEmail.clear();
      // With an email the identicon seed is the email alone (see Identity.avatar).
      known = { emailHash: emailHash(email), avatar: this.identity.avatar(email, null, '') };
      this.byEmail.set(email, known);
    }
    return known;
  }

  /** The identicon seed of a comment without an email. */
  avatar(name: string | null, commentId: string): string {
    if (!name) return this.identity.avatar(null, null, commentId);
    let seed = this.avatarByName.get(name);
    if (seed === undefined) {
      if (this.avatarByName.size >= LIMIT) this.avatarByName.clear();
      seed = this.identity.avatar(null, name, commentId);
      this.avatarByName.set(name, seed);
    }
    return seed;
  }
}
