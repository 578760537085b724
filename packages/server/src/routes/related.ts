import { Hono, type MiddlewareHandler } from 'hono';
import {
  ADMIN_REQUEST_MAX_BYTES,
  PUBLIC_REQUEST_MAX_BYTES,
  RelatedClickSchema,
  RelatedClicksQuerySchema,
  RelatedFeedbackQuerySchema,
  RelatedImpressionsSchema,
  RelatedPinsSchema,
  RelatedQuerySchema,
} from '@parley/schema';
import { clientAddress } from '../lib/client-address.ts';
import { assertStorableText, requireJson, validate, validationError } from '../lib/validate.ts';
import { adminAuth } from '../middleware/admin-auth.ts';
import { assertSiteAccess } from '../middleware/admin-scope.ts';
import { bodyLimit } from '../middleware/body-limit.ts';
import { cacheControl, noStore } from '../middleware/cache-control.ts';
import type { RelatedService } from '../services/related.ts';
import { beaconJson } from './discover.ts';

export function relatedRoutes(related: RelatedService, adminToken: string | undefined) {
  return new Hono()
    .get('/', cacheControl('public, max-age=60'), validate('query', RelatedQuerySchema), async (c) => {
      const { site, page, limit } = c.req.valid('query');
      return c.json(await related.related(site, page, limit), 200);
    })
    // A beacon: `navigator.sendBeacon` posts text/plain (a CORS-safe type), so the body is read as JSON whatever its type.
    // Its site is in that body, so the origin check and rate limit run in the service once it is parsed.
    .post('/click', noStore(), bodyLimit(PUBLIC_REQUEST_MAX_BYTES), async (c) => {
      const parsed = RelatedClickSchema.safeParse(await beaconJson(c));
      if (!parsed.success) throw validationError('json', parsed.error);
      assertStorableText('json', parsed.data);
      await related.click(parsed.data, {
        origin: c.req.header('origin'),
        fetchSite: c.req.header('sec-fetch-site'),
        ip: clientAddress(c),
      });
      return c.body(null, 204);
    })
    // Cards seen (IntersectionObserver in the widget, batched): a beacon like the click's.
    .post('/impressions', noStore(), bodyLimit(PUBLIC_REQUEST_MAX_BYTES), async (c) => {
      const parsed = RelatedImpressionsSchema.safeParse(await beaconJson(c));
      if (!parsed.success) throw validationError('json', parsed.error);
      await related.impressions(parsed.data, {
        origin: c.req.header('origin'),
        fetchSite: c.req.header('sec-fetch-site'),
        ip: clientAddress(c),
      });
      return c.body(null, 204);
    })
    .put('/pins', noStore(), adminAuth(adminToken), bodyLimit(ADMIN_REQUEST_MAX_BYTES), requireJson(), validate('json', RelatedPinsSchema), async (c) =>
      c.json(await related.setPins(c.req.valid('json')), 200),
    );
}

/**
 * Admin: click-through on related cards, per article. `requireAdmin` is the app's admin access
 * (bearer token or console session), so scripts and the console both read it.
 */
export function relatedAdminRoutes(related: RelatedService, requireAdmin: MiddlewareHandler) {
  return new Hono()
    .get('/clicks', noStore(), requireAdmin, validate('query', RelatedClicksQuerySchema), async (c) => {
      const { site, days } = c.req.valid('query');
      assertSiteAccess(c, site);
      return c.json(await related.clicks(site, days), 200);
    })
    .get('/feedback', noStore(), requireAdmin, validate('query', RelatedFeedbackQuerySchema), async (c) => {
      const { site, days } = c.req.valid('query');
      assertSiteAccess(c, site);
      return c.json(await related.feedback(site, days), 200);
    });
}
