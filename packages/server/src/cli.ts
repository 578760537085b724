import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadConfig } from './config.ts';
import { importArticlesFile } from './services/import.ts';
import { openStore, type Store } from './store/store.ts';

const USAGE = `Usage:
  parley import-articles FILE [--site ID]   upsert articles from a JSON file (an array or { site?, articles })
  parley migrate                            apply pending database migrations
The database comes from DATABASE_URL (default: ./data/parley.sqlite).`;

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: CliIo = { env: process.env, out: (line) => console.log(line), err: (line) => console.error(line) };

/** Runs one CLI command; resolves to the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { site: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || command === undefined || command === 'help') {
    io.out(USAGE);
    return command === undefined && !parsed.values.help ? 1 : 0;
  }

  let store: Store | undefined;
  try {
    const config = loadConfig(io.env);
    if (command === 'migrate') {
      if (rest.length > 0) throw new Error(`migrate takes no arguments\n\n${USAGE}`);
      store = openStore(config.databaseUrl);
      const { results = [] } = await store.migrate();
      io.out(results.length ? `Applied ${results.map((r) => r.migrationName).join(', ')}` : 'Already up to date');
      return 0;
    }
    if (command === 'import-articles') {
      const [file, ...extra] = rest;
      if (file === undefined || extra.length > 0) throw new Error(`import-articles takes exactly one FILE\n\n${USAGE}`);
      store = openStore(config.databaseUrl);
      await store.migrate();
      const result = await importArticlesFile(store, file, parsed.values.site);
      io.out(`Imported into site "${result.site}": ${result.inserted} inserted, ${result.updated} updated`);
      return 0;
    }
    throw new Error(`Unknown command "${command}"\n\n${USAGE}`);
  } catch (error) {
    io.err(`parley: ${(error as Error).message}`);
    return 1;
  } finally {
    await store?.close();
  }
}

// `tsx src/cli.ts …` runs it directly; bin/parley.mjs imports runCli.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.argv.slice(2));
}
