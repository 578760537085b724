import { loadConfig } from '../config.ts';
import path from 'node:path';
import type { CliIo } from '../cli.ts';
import { callerCwd } from './io.ts';
import { backupSqlite, restoreSqlite } from '../store/backup.ts';

const USAGE = `Usage:
  parley backup FILE    write a consistent copy of the running SQLite database to FILE (online, WAL-safe)
  parley restore FILE   replace the SQLite database with FILE (stop the server first; the old one is kept as *.before-restore)
PostgreSQL: use pg_dump / pg_restore (README: Backups).`;

/** `parley backup FILE` and `parley restore FILE`; argv starts with the command. */
export async function backupCommand(argv: string[], io: CliIo): Promise<number> {
  const [command, file, ...extra] = argv;
  if (file === '--help' || file === '-h') {
    io.out(`Usage: parley ${command} FILE\n\n${USAGE}`);
    return 0;
  }
  if ((command !== 'backup' && command !== 'restore') || !file || extra.length > 0) {
    io.err(USAGE);
    return 1;
  }
  try {
    // Relative paths (FILE, the default database) are the caller's, under pnpm too (INIT_CWD).
    const cwd = callerCwd(io);
    const { databaseUrl } = loadConfig(io.env, { cwd });
    const target = path.resolve(cwd, file);
    if (command === 'backup') {
      const result = await backupSqlite(databaseUrl, target);
      io.out(`Backed up ${result.pages} pages (${result.bytes} bytes) to ${result.file}`);
    } else {
      const result = restoreSqlite(databaseUrl, target);
      io.out(`Restored ${result.file} from ${file}${result.previous ? `; the previous database is ${result.previous}` : ''}`);
    }
    return 0;
  } catch (error) {
    io.err(`parley ${command}: ${(error as Error).message}`);
    return 1;
  }
}
