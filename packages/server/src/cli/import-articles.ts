import { access } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { importArticlesFile } from '../services/import.ts';
import { callerCwd, type CliIo } from './io.ts';
import { defineCommand, runCommand } from './parse.ts';
import { withStore } from './store.ts';
import { announceToInstances } from '../services/live/announce.ts';

/** `parley import-articles FILE [--site ID]`: upserts an articles JSON file, all or nothing. */
export default async function importArticles(argv: string[], io: CliIo): Promise<number> {
  let code = 0;
  const command = defineCommand('import-articles', io)
    .description('upsert articles from a JSON file (an array or { site?, articles })')
    .argument('<file>', 'the JSON file')
    .option('--site <id>', 'the site (default: the file\'s "site", else "default")')
    .action(async (file: string, options: { site?: string }) => {
      const config = loadConfig(io.env, { cwd: callerCwd(io) });
      const filePath = path.resolve(callerCwd(io), file);
      await access(filePath); // a missing file fails before a database is opened
      code = await withStore(config, async (store) => {
        const result = await importArticlesFile(store, filePath, options.site);
        io.out(`Imported into site "${result.site}": ${result.inserted} inserted, ${result.updated} updated`);
        // Running instances re-read the site's articles (PostgreSQL NOTIFY; SQLite notices by itself).
        await announceToInstances(config, [{ kind: 'articles', site: result.site }]);
        return 0;
      });
    });
  return (await runCommand(command, argv, io)) ?? code;
}
