import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The numbers a pg pool reports; SQLite has no pool. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/**
 * Parley's Prometheus metrics, in a registry of their own (never prom-client's global one). One
 * per process: what several apps in one process record adds up, as it would for a scraper.
 * Other modules import `metrics` and set what they know, e.g.
 * `metrics.notifierLagSeconds.set(lag)` or `metrics.outboxQueueDepth.set({ queue: 'webhooks' }, n)`.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parley_' });
  const pools = new Set<() => PoolStats | undefined>();
  return {
    registry,
    httpRequests: new Counter({
      name: 'parley_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'parley_http_request_duration_seconds',
      help: 'Time to the response headers, by method and route pattern (streams: until they open)',
      labelNames: ['method', 'route'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    sseStreams: new Gauge({ name: 'parley_sse_streams_open', help: 'Live update streams (GET /api/stream) open now', registers: [registry] }),
    cacheLookups: new Counter({
      name: 'parley_cache_lookups_total',
      help: 'In-memory cache lookups by cache and result (hit or miss)',
      labelNames: ['cache', 'result'] as const,
      registers: [registry],
    }),
    rateLimitRejections: new Counter({
      name: 'parley_rate_limit_rejections_total',
      help: 'Requests refused with 429, by route pattern',
      labelNames: ['route'] as const,
      registers: [registry],
    }),
    dbRoundTrips: new Counter({
      name: 'parley_db_round_trips_total',
      help: 'Messages sent to PostgreSQL and answered (one round trip each; a posted comment takes 2 to 4)',
      registers: [registry],
    }),
    stalePageStates: new Counter({
      name: 'parley_stale_page_states_total',
      help: 'Changes (PostgreSQL) whose remembered page state another instance had made stale: run again with the state read under the lock',
      registers: [registry],
    }),
    notifierLagSeconds: new Gauge({ name: 'parley_notifier_lag_seconds', help: 'Age of the last change notification when it arrived', registers: [registry] }),
    outboxQueueDepth: new Gauge({
      name: 'parley_outbox_queue_depth',
      help: 'Side effects waiting to be sent, by queue (webhooks, mail)',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    dbPool: new Gauge({
      name: 'parley_db_pool_connections',
      help: 'PostgreSQL pool connections by state (total, idle, waiting clients)',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const sum = { total: 0, idle: 0, waiting: 0 };
        for (const read of pools) {
          const stats = read();
          if (!stats) {
            pools.delete(read);
            continue;
          }
          sum.total += stats.total;
          sum.idle += stats.idle;
          sum.waiting += stats.waiting;
        }
        for (const [state, value] of Object.entries(sum)) this.set({ state }, value);
      },
    }),
    /** Reports a pool until `read` answers undefined (the pool ended). */
    trackPool(read: () => PoolStats | undefined): void {
      pools.add(read);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export const metrics: Metrics = createMetrics();
