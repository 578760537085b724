import { Hono, type Context } from 'hono';
import { ArticleDiscoverSchema, PUBLIC_REQUEST_MAX_BYTES } from '@parley/schema';
import { AppError } from '../lib/errors.ts';
import { clientAddress } from '../lib/client-address.ts';
import { assertStorableText, validationError } from '../lib/validate.ts';
import { bodyLimit } from '../middleware/body-limit.ts';
import { noStore } from '../middleware/cache-control.ts';
import type { DiscoveryService } from '../services/articles.ts';

/**
 * Reads a beacon's body as JSON whatever its content type: `navigator.sendBeacon` posts text/plain
 * (a CORS-safe type, so no preflight), `fetch` may say application/json.
 */
export async function beaconJson(c: Context): Promise<unknown> {
  try {
    return JSON.parse(await c.req.text());
  } catch {
    throw new AppError(400, 'invalid_json', 'Request body is not valid JSON');
  }
}

/** `POST /api/articles/discover`: a page reports its own metadata (`<parley-related discover>`). */
export function discoverRoutes(discovery: DiscoveryService) {
  return new Hono().post('/', noStore(), bodyLimit(PUBLIC_REQUEST_MAX_BYTES), async (c) => {
    const parsed = ArticleDiscoverSchema.safeParse(await beaconJson(c));
    if (!parsed.success) throw validationError('json', parsed.error);
    assertStorableText('json', parsed.data);
    const result = await discovery.report(parsed.data, {
      origin: c.req.header('origin'),
      ip: clientAddress(c),
    });
    return c.json(result, 200);
  });
}
