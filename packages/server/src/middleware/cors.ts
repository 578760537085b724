import type { Context } from 'hono';
import { cors as honoCors } from 'hono/cors';

export interface CorsOptions {
  /** Origins allowed to call the API: `'*'` for any, a list, or a per-request decision (per-site origins, see site-origin.ts). */
  allowedOrigins: '*' | readonly string[] | ((origin: string, c: Context) => boolean);
}

export function cors({ allowedOrigins }: CorsOptions) {
  const allowed = allowedOrigins === '*' || typeof allowedOrigins === 'function' ? allowedOrigins : new Set(allowedOrigins);
  return honoCors({
    origin:
      allowed === '*'
        ? '*'
        : typeof allowed === 'function'
          ? (origin, c) => (origin && allowed(origin, c) ? origin : null)
          : (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization', 'Parley-Edit-Token'],
    // Response headers a cross-origin page may read: the widget shows a 429's wait from Retry-After.
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  });
}
