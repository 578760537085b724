import type { Context } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';

export interface CorsOptions {
  /** Origins allowed to call the API: `'*'` for any, a list, or a per-request decision (per-site origins, see site-origin.ts). */
  allowedOrigins: '*' | readonly string[] | ((origin: string, c: Context) => boolean);
}

/** Response headers a cross-origin page may read: the widget shows a 429's wait from Retry-After. */
const EXPOSED_HEADERS = ['Retry-After'];

/**
 * CORS for the API. Preflights go to Hono's cors middleware; for every other request the headers
 * are set BEFORE the handler runs. Hono's middleware adds `Vary: Origin` after it, which makes
 * @hono/node-server rebuild the handler's response as a full Response object: on the cached first
 * screen of a thread that tripled the CPU per read (tests/bench/server-speed.ts).
 */
export function cors({ allowedOrigins }: CorsOptions) {
  const allowed = allowedOrigins === '*' || typeof allowedOrigins === 'function' ? allowedOrigins : new Set(allowedOrigins);
  const allowOrigin = (origin: string | undefined, c: Context): string | null => {
    if (allowed === '*') return '*';
    if (!origin) return null;
    if (typeof allowed === 'function') return allowed(origin, c) ? origin : null;
    return allowed.has(origin) ? origin : null;
  };
  const preflight = honoCors({
    origin: allowed === '*' ? '*' : (origin, c) => allowOrigin(origin, c),
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization', 'Parley-Edit-Token', 'Idempotency-Key'],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  return createMiddleware(async function cors(c, next) {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    const origin = allowOrigin(c.req.header('origin'), c);
    if (origin) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(','));
    }
    // The answer depends on the Origin header unless every origin gets the same one.
    if (allowed !== '*') c.header('Vary', 'Origin', { append: true });
    await next();
  });
}
