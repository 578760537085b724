import { cors as honoCors } from 'hono/cors';

export interface CorsOptions {
  /** Origins allowed to call the API; `'*'` for any (until per-site origins arrive with moderation). */
  allowedOrigins: '*' | readonly string[];
}

export function cors({ allowedOrigins }: CorsOptions) {
  const allowed = allowedOrigins === '*' ? '*' : new Set(allowedOrigins);
  return honoCors({
    origin: allowed === '*' ? '*' : (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization'],
    maxAge: 600,
  });
}
