import { createHash, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../lib/errors.ts';

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * Bearer-token guard for admin endpoints. Comparing fixed-length hashes in constant time
 * leaks neither the token's characters nor its length through timing.
 */
export function adminAuth(token: string | undefined) {
  const expected = token ? sha256(token) : undefined;
  return createMiddleware(async function adminAuth(c, next) {
    if (!expected) {
      throw new AppError(401, 'unauthorized', 'Admin API is disabled: set PARLEY_ADMIN_TOKEN on the server to enable it');
    }
    const match = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
    if (!match || !timingSafeEqual(sha256(match[1]!.trim()), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="parley-admin"');
      throw new AppError(401, 'unauthorized', 'Missing or wrong admin token: send Authorization: Bearer <PARLEY_ADMIN_TOKEN>');
    }
    await next();
  });
}
