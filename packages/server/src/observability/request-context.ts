import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { clientAddress } from '../lib/client-address.ts';
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
 * logs a line for it — path without the query (tokens travel there), address cut to its network.
 */
export function requestContext({ logger, metrics }: { logger: Logger; metrics: Metrics }): MiddlewareHandler {
  // prom-client hashes a labels object on every call; a child bound once per series does not.
  const requests = new Map<string, { inc(): void }>();
  const durations = new Map<string, { observe(value: number): void }>();
  return async function requestContextMiddleware(c, next) {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    // Before the handler, so the response is built with it (setting headers on a finished
    // response makes node-server rebuild it).
    c.header('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const route = routeOf(c);
      const status = c.res.status;
      const method = c.req.method;
      const series = `${method} ${route}`;
      let requestCounter = requests.get(`${series} ${status}`);
      if (!requestCounter) requests.set(`${series} ${status}`, (requestCounter = metrics.httpRequests.labels({ method, route, status })));
      requestCounter.inc();
      let duration = durations.get(series);
      if (!duration) durations.set(series, (duration = metrics.httpDuration.labels({ method, route })));
      duration.observe(seconds);
      if (status === 429) metrics.rateLimitRejections.inc({ route });
      // Every request at debug; at info only client errors, server errors at error. A proxy's
      // access log covers the rest without costing the server a line per read.
      const level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
      if (logger.isLevelEnabled(level)) {
        logger[level]({ reqId: requestId, method, path: c.req.path, route, status, ms: Math.round(seconds * 10_000) / 10, ip: anonymizeIp(clientAddress(c)) }, 'request');
      }
    }
  };
}
