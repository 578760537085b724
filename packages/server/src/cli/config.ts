import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONSOLE_DIR, EnvSchema, databaseKind, loadConfig, type Config } from '../config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import { openStore } from '../store/store.ts';
import { callerCwd, type CliIo } from './io.ts';
import { defineCommand, runCommand, subcommand } from './parse.ts';

const SECRET_KEYS = new Set(['adminToken', 'secret', 'metricsToken']);

/** `user:password@` in a URL becomes `user:***@`. */
function maskUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

function shown(key: string, value: unknown): string {
  if (value === undefined) return '(unset)';
  if (SECRET_KEYS.has(key)) return '*** (set)';
  if (key === 'bootstrapAdmin') return `${(value as { email: string }).email} (password set)`;
  if (typeof value === 'string') return /:\/\//.test(value) ? maskUrl(value) : value;
  return JSON.stringify(value);
}

/**
 * The configuration the server would run with, and every problem with it at once: bad
 * variables, then (with the rest) the sites file, the built assets, the database.
 */
export async function checkConfig(env: Record<string, string | undefined>, cwd: string): Promise<{ config?: Config; problems: string[] }> {
  const problems: string[] = [];
  const usable = { ...env };
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.')}: ${issue.message}`);
      delete usable[String(issue.path[0])];
    }
  }
  let config: Config | undefined;
  // loadConfig stops at its first complaint: drop the variable it names and ask again.
  for (let attempt = 0; attempt < Object.keys(EnvSchema.shape).length && !config; attempt += 1) {
    try {
      config = loadConfig(usable, { cwd });
    } catch (error) {
      const message = (error as Error).message.replace(/^Invalid configuration: /, '');
      problems.push(message);
      const named = Object.keys(EnvSchema.shape).find((key) => message.includes(key) && usable[key] !== undefined);
      if (!named) break;
      delete usable[named];
    }
  }
  if (!config) return { problems };
  try {
    SiteRegistry.load(config.sitesFile);
  } catch (error) {
    problems.push(`PARLEY_CONFIG: ${(error as Error).message}`);
  }
  if (!existsSync(config.embedFile)) problems.push(`the widgets bundle is missing at ${config.embedFile} (PARLEY_EMBED_FILE)`);
  const consoleDir = config.consoleDir ?? DEFAULT_CONSOLE_DIR;
  if (!existsSync(path.join(consoleDir, 'index.html'))) problems.push(`the console is missing at ${consoleDir} (PARLEY_CONSOLE_DIR)`);
  problems.push(...(await databaseProblems(config.databaseUrl)));
  return { config, problems };
}

async function databaseProblems(url: string): Promise<string[]> {
  if (databaseKind(url) === 'sqlite') {
    const file = url.slice('file:'.length);
    if (file === '' || file === ':memory:') return [];
    // The first existing folder up the path must be writable: the file (and data/) are made at start.
    let dir = path.dirname(path.resolve(file));
    while (!existsSync(dir)) dir = path.dirname(dir);
    try {
      accessSync(existsSync(path.resolve(file)) ? path.resolve(file) : dir, constants.W_OK);
      return [];
    } catch {
      return [`DATABASE_URL: ${path.resolve(file)} cannot be written`];
    }
  }
  const store = openStore(url);
  try {
    await Promise.race([store.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 5 s')), 5000).unref())]);
    return [];
  } catch (error) {
    return [`DATABASE_URL: ${maskUrl(url)}: ${(error as Error).message}`];
  } finally {
    await store.close().catch(() => {});
  }
}

/** `parley config check`: prints the effective configuration (secrets masked) and every problem; exit 1 if any. */
export default async function configCommand(argv: string[], io: CliIo): Promise<number> {
  let code = 0;
  const command = defineCommand('config', io).description('inspect the configuration');
  subcommand(command, 'check', io)
    .description('print the effective configuration (secrets masked) and every problem with it')
    .action(async () => {
      const { config, problems } = await checkConfig(io.env, callerCwd(io));
      if (config) {
        const entries: Array<[string, unknown]> = Object.entries({ ...config, consoleDir: config.consoleDir ?? DEFAULT_CONSOLE_DIR });
        // Unset secrets are listed too ("(unset)"), once: a key present with an undefined value is already in `entries`.
        for (const key of ['adminToken', 'metricsToken', 'secret'] as const) if (!(key in config)) entries.push([key, undefined]);
        const width = Math.max(...entries.map(([key]) => key.length));
        for (const [key, value] of entries.sort(([a], [b]) => a.localeCompare(b))) io.out(`${key.padEnd(width)}  ${shown(key, value)}`);
      }
      if (problems.length === 0) {
        io.out('OK: no problems found');
        return;
      }
      io.err(`${problems.length} problem${problems.length > 1 ? 's' : ''}:`);
      for (const problem of problems) io.err(`  - ${problem}`);
      code = 1;
    });
  if (argv.length === 0) {
    command.outputHelp({ error: true });
    return 1;
  }
  return (await runCommand(command, argv, io)) ?? code;
}
