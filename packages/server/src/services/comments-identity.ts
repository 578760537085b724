import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Hashes that must not be reversible or linkable across servers: all keyed by the server secret. */
export class Identity {
  constructor(private readonly secret: string) {}

  private hmac(purpose: string, value: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}\u0000${value}`).digest('hex');
  }

  /** 16 hex chars seeding the identicon: lowercased email, else the name, else the comment id. */
  avatar(email: string | null | undefined, name: string | null | undefined, commentId: string): string {
    const seed = email?.trim().toLowerCase() || name || commentId;
    return createHmac('sha256', this.secret).update(seed).digest('hex').slice(0, 16);
  }

  readerHash(readerId: string): string {
    return this.hmac('reader', readerId);
  }

  /** Salted hash of a client address; the address itself is never stored. */
  ipHash(ip: string): string {
    return this.hmac('ip', ip);
  }

  /**
   * The author token handed to a reader whose comment was accepted with an email (issue 14, the
   * `first-time` rule): `<commentId>.<HMAC(secret, emailHash | commentId)>`. It proves that whoever
   * presents it posted comment `commentId` with that email from their own browser; it is trusted
   * as "approved before" only while that comment is approved (see CommentGate).
   */
  authorToken(emailHash: string, commentId: string): string {
    return `${commentId}.${this.hmac('author-token', `${emailHash}|${commentId}`).slice(0, 43)}`;
  }

  /** The comment id an author token names, when it was made by `authorToken(emailHash, …)`; else undefined. */
  verifyAuthorToken(token: string, emailHash: string): string | undefined {
    const match = /^([0-9A-HJKMNP-TV-Z]{26})\.([0-9a-f]{43})$/.exec(token);
    if (!match) return undefined;
    const expected = Buffer.from(this.authorToken(emailHash, match[1]!));
    const presented = Buffer.from(token);
    return expected.length === presented.length && timingSafeEqual(expected, presented) ? match[1] : undefined;
  }

  /**
   * A signed, expiring token for a mailed link (`purpose` keeps a token of one kind from being used
   * as another): base64url(JSON payload) + '.' + HMAC. Nothing is stored; the payload is not secret.
   */
  sign(purpose: string, payload: Record<string, unknown>, expiresAt: number): string {
    const body = Buffer.from(JSON.stringify({ ...payload, x: expiresAt })).toString('base64url');
    return `${body}.${this.hmac(`token:${purpose}`, body).slice(0, 43)}`;
  }

  /** The payload of a token made by `sign(purpose, …)`, or undefined when forged, for another purpose, or expired at `now`. */
  verify<T extends Record<string, unknown>>(purpose: string, token: string, now: number): (T & { x: number }) | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0) return undefined;
    const body = token.slice(0, dot);
    const mac = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.hmac(`token:${purpose}`, body).slice(0, 43));
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T & { x: number };
      return typeof payload.x === 'number' && payload.x > now ? payload : undefined;
    } catch {
      return undefined;
    }
  }
}

/** sha256 hex of the lowercased trimmed email, as Gravatar expects; null without an email. */
export function emailHash(email: string | null | undefined): string | null {
  const normalised = email?.trim().toLowerCase();
  return normalised ? createHash('sha256').update(normalised).digest('hex') : null;
}

/** 32 random bytes, base64url (43 chars), and the hash that is stored instead. */
export function newEditToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: tokenHash(token) };
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time comparison of a presented token with the stored hash. */
export function tokenMatches(token: string | undefined, storedHash: string | null): boolean {
  if (!token || !storedHash) return false;
  const presented = Buffer.from(tokenHash(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
