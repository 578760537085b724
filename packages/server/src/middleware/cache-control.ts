import { createMiddleware } from 'hono/factory';

/** Sets Cache-Control on the route's responses; errors are never cached, whatever the route allows. */
export function cacheControl(value: string) {
  return createMiddleware(async function cacheControl(c, next) {
    await next();
    c.header('Cache-Control', c.res.status >= 400 ? 'no-store' : value);
  });
}

/** API writes: never stored by browsers or proxies. */
export const noStore = () => cacheControl('no-store');
