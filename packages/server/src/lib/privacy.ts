import { createHash, createHmac } from 'node:crypto';

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
