import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { openStore, type Store } from './store/store.ts';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:8787` */
  url: string;
  port: number;
  store: Store;
  close(): Promise<void>;
}

export interface StartServerOptions {
  clock?: Clock;
  /** Don't log unexpected errors (tests that provoke them on purpose). */
  quiet?: boolean;
}

/** Opens the store (migrating it), builds the app and listens on config.host:config.port (0 = any free port). */
export async function startServer(config: Config, options: StartServerOptions = {}): Promise<RunningServer> {
  const store = openStore(config.databaseUrl);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  const app = createApp({
    store,
    config,
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

  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections (fetch keeps them open) would hold close() for seconds.
        server.closeAllConnections();
      }).finally(() => store.close());
      return closing;
    },
  };
}
