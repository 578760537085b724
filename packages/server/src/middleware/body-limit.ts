import { createMiddleware } from 'hono/factory';
import { readBody } from '../lib/read-body.ts';

/**
 * Rejects bodies over `maxBytes` with 413 payload_too_large: the body is read here, counting the
 * bytes as they arrive (a client that under-declares Content-Length gains nothing), and kept for
 * the route (lib/read-body.ts).
 */
export function bodyLimit(maxBytes: number) {
  return createMiddleware(async function bodyLimit(c, next) {
    await readBody(c, maxBytes);
    await next();
  });
}
