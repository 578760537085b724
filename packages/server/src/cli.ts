import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { backupCommand } from './cli/backup.ts';
import { loadConfig } from './config.ts';
import { importArticlesFile, importSources } from './services/import.ts';
import { AdminsService } from './services/admins.ts';
import { loadSitesFile } from './sites/config.ts';
import { SiteRegistry } from './sites/registry.ts';
import { systemClock } from './clock.ts';
import { openStore, type Store } from './store/store.ts';

const USAGE = `Usage:
  parley import-articles FILE [--site ID]   upsert articles from a JSON file (an array or { site?, articles })
  parley import FILE_OR_URL... [--site ID]  upsert articles from RSS, Atom, JSON Feed, XML sitemaps
                                            (indexes followed one level) or articles JSON files
  parley migrate                            apply pending database migrations
  parley sites check FILE                   validate a sites file (the PARLEY_CONFIG format)
  parley sites list                         list the sites PARLEY_CONFIG declares (or the default site)
  parley admin create --email E [--password-stdin]
                                            create an admin, or set a new password for an existing one;
                                            the password comes from stdin or PARLEY_ADMIN_PASSWORD
The database comes from DATABASE_URL (default: ./data/parley.sqlite).`;

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
  /** All of standard input (for --password-stdin); default: process.stdin. */
  readStdin?: () => Promise<string>;
}

const defaultIo: CliIo = { env: process.env, out: (line) => console.log(line), err: (line) => console.error(line) };

/** Runs one CLI command; resolves to the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        site: { type: 'string' },
        email: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
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

  if (command === 'backup' || command === 'restore') return backupCommand([command, ...rest], io);
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
    if (command === 'import') {
      if (rest.length === 0) throw new Error(`import takes one or more FILE_OR_URL\n\n${USAGE}`);
      store = openStore(config.databaseUrl);
      await store.migrate();
      // Fetching is for this command only, run by the site owner; the server never fetches.
      const report = await importSources(store, rest, { ...(parsed.values.site ? { site: parsed.values.site } : {}), loadUrl: fetchText });
      for (const source of report.sources) {
        if (source.error) io.err(`error: ${source.source}: ${source.error}`);
        else io.out(`${source.source}: ${source.format}, ${source.imported} article(s)`);
      }
      for (const problem of report.problems) {
        const where = problem.item !== undefined ? ` item ${problem.item}${problem.label ? ` (${problem.label})` : ''}` : problem.label ? ` (${problem.label})` : '';
        io.err(`error: ${problem.source}${where}: ${problem.message}`);
      }
      io.out(`Imported into site "${report.site}": ${report.inserted} inserted, ${report.updated} updated`);
      return report.problems.length > 0 || report.sources.some((source) => source.error) ? 1 : 0;
    }
    if (command === 'sites') {
      const [sub, ...args] = rest;
      if (sub === 'check' && args.length === 1) {
        const file = loadSitesFile(args[0]!);
        io.out(`OK: ${file.sites.length} site(s): ${file.sites.map((site) => site.id).join(', ')}`);
        return 0;
      }
      if (sub === 'list' && args.length === 0) {
        const registry = SiteRegistry.load(config.sitesFile);
        if (!registry.strict) io.out('(no PARLEY_CONFIG: every site id gets the default settings)');
        for (const site of registry.list()) {
          io.out(`${site.id}\tmoderation=${site.moderation}\torigins=${site.origins.join(',')}\twebhooks=${site.webhooks.length}`);
        }
        return 0;
      }
      throw new Error(`Use "sites check FILE" or "sites list"\n\n${USAGE}`);
    }
    if (command === 'admin') {
      const [sub, ...args] = rest;
      const email = parsed.values.email;
      if (sub !== 'create' || args.length > 0 || !email) throw new Error(`Use "admin create --email E [--password-stdin]"\n\n${USAGE}`);
      const password = parsed.values['password-stdin']
        ? (await (io.readStdin ?? readProcessStdin)()).replace(/\r?\n$/, '')
        : io.env.PARLEY_ADMIN_PASSWORD;
      if (!password) throw new Error('No password: pipe it with --password-stdin or set PARLEY_ADMIN_PASSWORD');
      store = openStore(config.databaseUrl);
      await store.migrate();
      const { admin, created } = await new AdminsService(store, systemClock).createOrUpdate(email, password);
      io.out(created ? `Created admin ${admin.email}` : `Updated the password of ${admin.email} (their sessions were ended)`);
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

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url, { headers: { accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml, text/xml, */*' }, signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}

// `tsx src/cli.ts …` runs it directly; bin/parley.mjs imports runCli.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.argv.slice(2));
}
