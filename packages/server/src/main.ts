import { loadConfig, type Config } from './config.ts';
import { startServer, type RunningServer } from './server.ts';

// Node entry: `tsx src/main.ts`. Configuration comes from the environment only.
const config = loadConfig(process.env);
let server: RunningServer;
try {
  server = await startServer(config);
} catch (error) {
  // A busy or forbidden port is an operator's fix, not a crash: one clear line, exit 1.
  const message = listenFailure(error, config);
  if (!message) throw error;
  console.error(message);
  process.exit(1);
}
console.log(`Parley listening on ${server.url} (${server.store.dialect})`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  try {
    await server.close();
    process.exit(0);
  } catch (error) {
    console.error('Error while shutting down', error);
    process.exit(1);
  }
}
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));

function listenFailure(error: unknown, { host, port }: Config): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return `Parley cannot listen on ${host}:${port}: the port is already in use (stop the other process or set PORT)`;
  if (code === 'EACCES') return `Parley cannot listen on ${host}:${port}: permission denied (use a port above 1023 or set PORT)`;
  if (code === 'EADDRNOTAVAIL') return `Parley cannot listen on ${host}:${port}: no such address on this machine (set HOST)`;
  return undefined;
}
