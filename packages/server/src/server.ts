import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createParley } from './app.ts';
import pg from 'pg';
import type { JobRunner } from './jobs/runner.ts';
import type { Notifier } from './services/live/notifier.ts';
import { PgNotifier } from './services/live/pg-notifier.ts';
import { SqliteNotifier } from './services/live/sqlite-watcher.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { openStore, storeOptions, type Store } from './store/store.ts';
import { metrics } from './observability/metrics.ts';
import { AdminsService } from './services/admins.ts';
import { SiteRegistry } from './sites/registry.ts';
import { createLogger } from './observability/logger.ts';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:8787` */
  url: string;
  port: number;
  store: Store;
  /** Background work: outbox mail, webhook deliveries, pruning. */
  jobs: JobRunner;
  /** What this instance's caches and streams follow (PostgreSQL NOTIFY, or the SQLite watcher). */
  notifier: Notifier;
  close(): Promise<void>;
}

export interface StartServerOptions {
  clock?: Clock;
  /** Don't log unexpected errors (tests that provoke them on purpose). */
  quiet?: boolean;
  /** How often background work looks for due rows; default config.jobIntervalMs, else 5000 ms. */
  jobIntervalMs?: number;
  /** How long close() lets requests in flight finish before cutting connections; default 10000 ms. */
  drainMs?: number;
}

/** Opens the store (migrating it), builds the app and listens on config.host:config.port (0 = any free port). */
export async function startServer(config: Config, options: StartServerOptions = {}): Promise<RunningServer> {
  // A bad PARLEY_CONFIG fails here, naming the file and key, before anything is opened.
  const sites = SiteRegistry.load(config.sitesFile);
  if (config.pgSchema && config.databaseUrl.startsWith('postgres')) await createSchema(config.databaseUrl, config.pgSchema);
  const store = openStore(config.databaseUrl, storeOptions(config));
  try {
    await store.migrate();
    // Unattended setups: PARLEY_ADMIN_EMAIL + PARLEY_ADMIN_PASSWORD create (or re-password) an admin.
    if (config.bootstrapAdmin) {
      await new AdminsService(store, options.clock ?? systemClock).createOrUpdate(config.bootstrapAdmin.email, config.bootstrapAdmin.password);
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  const logger = createLogger({ level: options.quiet ? 'silent' : (config.logLevel ?? 'info') });
  const logError = (message: string, error: unknown) => logger.error({ err: error }, message);
  // Several instances on PostgreSQL hear each other through NOTIFY; on SQLite the CLI's writes are
  // noticed through the file's data_version.
  const notifier = store.dialect === 'postgres' ? new PgNotifier({ connectionString: config.databaseUrl, schema: config.pgSchema, logError, onLag: (seconds) => metrics.notifierLagSeconds.set(seconds) }) : new SqliteNotifier(store.db);
  if (notifier instanceof PgNotifier) await notifier.ready();
  else notifier.start();
  const shutdown = new AbortController();
  const { app, jobs } = createParley({
    shutdown: shutdown.signal,
    store,
    logger,
    config,
    sites,
    notifier,
    clock: options.clock ?? systemClock,
    ...(options.quiet ? { logError: () => {} } : {}),
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () =>
      resolve(created as Server),
    ) as Server;
    created.once('error', reject);
  }).catch(async (error: unknown) => {
    await notifier.close();
    await store.close();
    throw error;
  });

  jobs.start(options.jobIntervalMs ?? config.jobIntervalMs ?? 5_000);

  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    jobs,
    notifier,
    close() {
      // In order: stop accepting, end live streams, let requests in flight finish (bounded), let
      // background work finish, stop listening for other instances, and only then close the
      // database, so nothing still running meets a closed pool.
      closing ??= (async () => {
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        shutdown.abort(new Error('server shutting down'));
        server.closeIdleConnections();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            server.closeAllConnections();
            resolve();
          }, options.drainMs ?? 10_000);
        });
        await Promise.race([drained, deadline]);
        clearTimeout(timer);
        await jobs.stop();
        await notifier.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/** PARLEY_PG_SCHEMA names a schema that may not exist yet. */
async function createSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`create schema if not exists "${schema}"`);
  } finally {
    await client.end();
  }
}
