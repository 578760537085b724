import { loadConfig } from '../config.ts';
import { callerCwd, type CliIo } from './io.ts';
import { defineCommand, runCommand } from './parse.ts';
import { withStore } from './store.ts';

/** `parley migrate`: applies pending migrations. */
export default async function migrate(argv: string[], io: CliIo): Promise<number> {
  let code = 0;
  const command = defineCommand('migrate', io)
    .description('apply pending database migrations')
    .action(async () => {
      const config = loadConfig(io.env, { cwd: callerCwd(io) });
      code = await withStore(config, async (store) => {
        const { results = [] } = await store.migrate();
        io.out(results.length ? `Applied ${results.map((r) => r.migrationName).join(', ')}` : 'Already up to date');
        return 0;
      }, { migrate: false });
    });
  return (await runCommand(command, argv, io)) ?? code;
}
