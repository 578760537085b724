import type { Identity } from '../services/comments-identity.ts';

/** How long a rendered form stays postable: fragments are cached, and static builds live for weeks. */
export const FORM_TOKEN_TTL_MS = 30 * 86_400_000;
const PURPOSE = 'render-form';

/**
 * The no-JS form's fill-time evidence: when the server rendered it, signed for one site and page.
 * The widget measures fill time in the browser; a form without script cannot, so the time since
 * rendering stands in for it (an upper bound: a cached or prebuilt fragment is older than the visit).
 */
export function formToken(identity: Identity, site: string, page: string, now: number): string {
  return identity.sign(PURPOSE, { s: site, p: page, t: now }, now + FORM_TOKEN_TTL_MS);
}

/** Milliseconds the form was open, or undefined when the token is missing, forged, expired or for another page. */
export function fillMsOf(identity: Identity, token: string | undefined, site: string, page: string, now: number): number | undefined {
  if (!token) return undefined;
  const payload = identity.verify<{ s: string; p: string; t: number }>(PURPOSE, token, now);
  if (!payload || payload.s !== site || payload.p !== page || typeof payload.t !== 'number') return undefined;
  return Math.max(0, now - payload.t);
}
