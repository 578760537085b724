import { loadConfig } from './config.ts';
import { startServer } from './server.ts';

// Node entry: `tsx src/main.ts`. Configuration comes from the environment only.
const config = loadConfig(process.env);
const server = await startServer(config);
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
