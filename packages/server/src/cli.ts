import { pathToFileURL } from 'node:url';
import { COMMANDS } from './cli/commands.ts';
import { processIo, type CliIo } from './cli/io.ts';
import { VERSION } from './cli/version.ts';

export type { CliIo, CliCommand } from './cli/io.ts';

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    'Usage: parley <command> [options]     (parley <command> --help for its options)',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  -v, --version  print the version',
    '  -h, --help     print this help',
    '',
    'The database comes from DATABASE_URL (default: ./data/parley.sqlite, relative to the current folder).',
  ].join('\n');
}

/** Runs one CLI command; resolves to the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const args = [...argv];
  // `pnpm … parley -- import x --site y` and `npm run parley -- …` hand the separator through.
  if (args[0] === '--') args.shift();
  const [name, ...rest] = args;
  if (name === '-v' || name === '--version' || name === 'version') {
    io.out(VERSION);
    return 0;
  }
  if (name === undefined) {
    io.err(usage());
    return 1;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    const topic = rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
    if (topic) return (await topic.load()).default(['--help'], io);
    io.out(usage());
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.err(`parley: Unknown command "${name}"\n\n${usage()}`);
    return 1;
  }
  try {
    return await (await entry.load()).default(rest, io);
  } catch (error) {
    io.err(`parley: ${(error as Error).message}`);
    return 1;
  }
}

// `tsx src/cli.ts …` (the repository's `pnpm parley`) and the compiled dist/cli.js run it directly.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.argv.slice(2));
}
