import { createHash, createHmac } from 'node:crypto';
import type { Context } from 'hono';

/**
 * Salted, keyed hash of an identifier (IP address, email) as hex: what the store keeps instead of
 * the raw value. The salt is a server secret, so the hashes cannot be reversed by enumerating
 * the IPv4 space.
 */
export function hashIdentifier(value: string, salt: string): string {
  return createHmac('sha256', salt).update(value.trim().toLowerCase()).digest('hex');
}

/** Plain SHA-256 hex, for tokens whose stored form must not reveal them. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * The client's IP: the socket's peer address, or — only when the server sits behind a proxy the
 * owner trusts — the left-most X-Forwarded-For entry. `unknown` under app.request() in tests.
 */
export function clientIp(c: Context, options: { trustProxy?: boolean } = {}): string {
  if (options.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
