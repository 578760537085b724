import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { clientIp } from '../lib/privacy.ts';
import { anonymizeIp, type Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/** An X-Request-Id a proxy or client sent that we are willing to echo and log. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'hono' {
  interface ContextVariableMap {
    /** This request's id: in the X-Request-Id response header, the logs and every error body. */
    requestId: string;
  }
}

/** The route pattern that answered (`/api/comments/:id`), or `unmatched` when none did. */
export function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let index = routes.length - 1; index >= 0; index -= 1) {
    const route = routes[index]!;
    if (route.method !== 'ALL') return route.path;
  }
  return 'unmatched';
}

/**
 * First middleware of the app: gives the request an id (a sane incoming X-Request-Id, else a
 * new UUID), returns it in X-Request-Id, then counts and times the answer by route pattern and
 * logs one line for it — path without the query (tokens travel there), address cut to its network.
 */
export function requestContext({ logger, metrics, trustProxy }: { logger: Logger; metrics: Metrics; trustProxy: boolean }): MiddlewareHandler {
  return async function requestContextMiddleware(c, next) {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    try {
      await next();
    } finally {
      c.header('X-Request-Id', requestId);
      const seconds = (performance.now() - started) / 1000;
      const route = routeOf(c);
      const status = c.res.status;
      const method = c.req.method;
      metrics.httpRequests.inc({ method, route, status });
      metrics.httpDuration.observe({ method, route }, seconds);
      if (status === 429) metrics.rateLimitRejections.inc({ route });
      if (logger.isLevelEnabled('info')) {
        logger.info({ reqId: requestId, method, path: c.req.path, route, status, ms: Math.round(seconds * 10_000) / 10, ip: anonymizeIp(clientIp(c, { trustProxy })) }, 'request');
      }
    }
  };
}
