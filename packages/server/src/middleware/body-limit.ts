import { createMiddleware } from 'hono/factory';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { AppError } from '../lib/errors.ts';

/**
 * Rejects bodies over `maxBytes` with 413 payload_too_large.
 * Hono's limiter trusts a Content-Length it sees; a client that under-declares it could slip a large
 * body past, so after the header check we drop the header and let Hono count the streamed bytes.
 */
export function bodyLimit(maxBytes: number) {
  const tooLarge = (): never => {
    throw new AppError(413, 'payload_too_large', `Request body is larger than ${maxBytes} bytes`);
  };
  const countStreamedBytes = honoBodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return createMiddleware(async function bodyLimit(c, next) {
    const declared = c.req.header('content-length');
    if (declared !== undefined) {
      if (Number(declared) > maxBytes) tooLarge();
      if (c.req.raw.body) {
        const headers = new Headers(c.req.raw.headers);
        headers.delete('content-length');
        c.req.raw = new Request(c.req.raw, { headers });
      }
    }
    return countStreamedBytes(c, next);
  });
}
