import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { openStore, type Store } from './store/store.ts';
import { AdminsService } from './services/admins.ts';
import { WebhookWorker } from './notify/webhooks.ts';
import { SiteRegistry } from './sites/registry.ts';
import { createLogger } from './observability/logger.ts';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:8787` */
  url: string;
  port: number;
  store: Store;
  /** Webhook deliveries: `enqueue` records them; the loop sends them (running when some site has webhooks). */
  webhooks: WebhookWorker;
  close(): Promise<void>;
}

export interface StartServerOptions {
  clock?: Clock;
  /** Don't log unexpected errors (tests that provoke them on purpose). */
  quiet?: boolean;
  /** How often the webhook loop looks for due deliveries; default 5000 ms. */
  webhookIntervalMs?: number;
}

/** Opens the store (migrating it), builds the app and listens on config.host:config.port (0 = any free port). */
export async function startServer(config: Config, options: StartServerOptions = {}): Promise<RunningServer> {
  // A bad PARLEY_CONFIG fails here, naming the file and key, before anything is opened.
  const sites = SiteRegistry.load(config.sitesFile);
  const store = openStore(config.databaseUrl);
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
  const app = createApp({
    store,
    logger,
    config,
    sites,
    clock: options.clock ?? systemClock,
    ...(options.quiet ? { logError: () => {} } : {}),
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () =>
      resolve(created as Server),
    ) as Server;
    created.once('error', reject);
  }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });

  const webhooks = new WebhookWorker({
    store,
    sites,
    clock: options.clock ?? systemClock,
    onError: (error) => logger.error({ err: error }, 'Webhook delivery loop failed'),
  });
  if (sites.list().some((site) => site.webhooks.length > 0)) webhooks.start(options.webhookIntervalMs ?? 5_000);

  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    webhooks,
    close() {
      closing ??= webhooks.stop().then(() => new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections (fetch keeps them open) would hold close() for seconds.
        server.closeAllConnections();
      })).finally(() => store.close());
      return closing;
    },
  };
}
