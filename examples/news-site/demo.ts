/**
 * `pnpm --filter @parley/example-news-site start`: the Harbour Gazette with Parley, on
 * http://127.0.0.1:8080. Ports and database from PARLEY_PORT, SITE_PORT and DATABASE_URL.
 */
import { startDemo } from './start-demo.ts';

function port(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    console.error(`${name} must be a port number, got "${raw}"`);
    process.exit(1);
  }
  return value;
}

const demo = await startDemo({
  parleyPort: port('PARLEY_PORT'),
  sitePort: port('SITE_PORT'),
  databaseUrl: process.env.DATABASE_URL || undefined,
});
console.log('Press Ctrl+C to stop.');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    demo.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
