import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import proxyAddr from 'proxy-addr';

/**
 * Which hops in front of the server are the operator's own proxies (PARLEY_TRUST_PROXY):
 * - `false` (unset): none; the client is the socket's peer and X-Forwarded-For is ignored.
 * - `true` or a number N: the nearest N hops (`true` = 1): the socket's peer and the right-most
 *   N-1 X-Forwarded-For entries were added by proxies we trust.
 * - a list of addresses/CIDRs (or proxy-addr's names `loopback`, `linklocal`, `uniquelocal`): hops
 *   whose address is in the list are trusted.
 * The client is then the right-most address that is NOT a trusted proxy (Express's `trust proxy`
 * semantics, via the proxy-addr package). The left-most entry is never taken on trust: a client
 * writes it, and a proxy that appends keeps it.
 */
export type TrustProxy = boolean | number | readonly string[];

declare module 'hono' {
  interface ContextVariableMap {
    /** The client's address, computed once per request by `clientAddressMiddleware`. */
    clientAddress: string;
  }
}

/** Reads `true`, `false`, a hop count or a comma list of addresses/CIDRs; throws on a bad entry. */
export function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim();
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  const list = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  proxyAddr.compile(list); // throws "invalid IP address" / "invalid range" naming the entry
  return list;
}

type Trust = (address: string, hop: number) => boolean;

function compileTrust(trust: TrustProxy): Trust {
  if (trust === false || trust === 0) return () => false;
  if (trust === true) return (_address, hop) => hop < 1;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyAddr.compile([...trust]);
}

// A request line may carry thousands of entries; none beyond these is ever needed to find the client.
const MAX_FORWARDED_ENTRIES = 32;

/** The one computation of the client address: socket peer + X-Forwarded-For under the trust rule. */
export function computeClientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trust: Trust): string {
  const entries = (forwardedFor ?? '').split(',').slice(-MAX_FORWARDED_ENTRIES).join(',');
  // proxy-addr reads a Node request; only these two fields of it.
  const request = {
    socket: { remoteAddress: socketAddress ?? 'unknown' },
    connection: { remoteAddress: socketAddress ?? 'unknown' },
    headers: entries ? { 'x-forwarded-for': entries } : {},
  } as unknown as IncomingMessage;
  // `unknown` (no socket: in-process app.request()) is never a valid IP, so proxy-addr's list matcher
  // would stop there; the hop rules treat it like any peer.
  return proxyAddr(request, trust) || 'unknown';
}

function socketAddressOf(c: Context): string | undefined {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}

/** Sets `c.var.clientAddress` once for the whole request (rate limits, bans, like caps, login budgets). */
export function clientAddressMiddleware(trustProxy: TrustProxy = false) {
  const trust = compileTrust(trustProxy);
  return createMiddleware(async function clientAddress(c, next) {
    c.set('clientAddress', computeClientAddress(socketAddressOf(c), c.req.header('x-forwarded-for'), trust));
    await next();
  });
}

/** The address set by the middleware; a sub-app mounted without it (some unit tests) sees the socket peer. */
export function clientAddress(c: Context): string {
  return c.get('clientAddress') ?? socketAddressOf(c) ?? 'unknown';
}
