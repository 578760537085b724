import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { AppError } from '../lib/errors.ts';
import type { Metrics } from '../observability/metrics.ts';

/**
 * `GET /metrics`: Prometheus text format, for a scraper holding PARLEY_METRICS_TOKEN as a Bearer
 * token. Without the setting the endpoint does not exist (404): metrics tell outsiders too much.
 */
export function metricsRoutes(metrics: Metrics, token: string | undefined) {
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  return new Hono().get('/', async (c) => {
    if (!expected) throw new AppError(404, 'not_found', 'Metrics are off: set PARLEY_METRICS_TOKEN to serve them');
    const given = Buffer.from(c.req.header('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="parley-metrics"');
      throw new AppError(401, 'unauthorized', 'Metrics need Authorization: Bearer <PARLEY_METRICS_TOKEN>');
    }
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  });
}
