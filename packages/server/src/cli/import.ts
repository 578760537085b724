import path from 'node:path';
import { loadConfig } from '../config.ts';
import { importSources, type ImportReport } from '../services/import.ts';
import { callerCwd, type CliIo } from './io.ts';
import { defineCommand, runCommand } from './parse.ts';
import { withStore } from './store.ts';
import { announceToInstances } from '../services/live/announce.ts';

const isUrl = (source: string) => /^https?:\/\//i.test(source);

/** `parley import FILE_OR_URL... [--site ID]`: feeds, sitemaps and articles files into one site. */
export default async function importCommand(argv: string[], io: CliIo): Promise<number> {
  let code = 0;
  const command = defineCommand('import', io)
    .description('upsert articles from RSS, Atom, JSON Feed, XML sitemaps (indexes followed one level) or articles JSON files')
    .argument('<sources...>', 'files or http(s) URLs')
    .option('--site <id>', 'the site to import into', 'default')
    .action(async (sources: string[], options: { site: string }) => {
      const cwd = callerCwd(io);
      const config = loadConfig(io.env, { cwd });
      const resolved = sources.map((source) => (isUrl(source) ? source : path.resolve(cwd, source)));
      code = await withStore(config, async (store) => {
        // Fetching is for this command only, run by the site owner; the server never fetches.
        const report = await importSources(store, resolved, { site: options.site, loadUrl: fetchText });
        printReport(report, io);
        // Running instances re-read the site's articles (PostgreSQL NOTIFY; SQLite notices by itself).
        await announceToInstances(config, [{ kind: 'articles', site: report.site }]);
        const failed = report.problems.length > 0 || report.sources.some((source) => source.error);
        // Nothing imported and something wrong: a failed run, which leaves no fresh database behind.
        if (failed && report.inserted + report.updated === 0) throw new Error('nothing imported');
        return failed ? 1 : 0;
      });
    });
  return (await runCommand(command, argv, io)) ?? code;
}

function printReport(report: ImportReport, io: CliIo): void {
  for (const source of report.sources) {
    if (source.error) io.err(`error: ${source.source}: ${source.error}`);
    else io.out(`${source.source}: ${source.format}, ${source.imported} article(s)`);
  }
  for (const problem of report.problems) {
    const where = problem.item !== undefined ? ` item ${problem.item}${problem.label ? ` (${problem.label})` : ''}` : problem.label ? ` (${problem.label})` : '';
    io.err(`error: ${problem.source}${where}: ${problem.message}`);
  }
  io.out(`Imported into site "${report.site}": ${report.inserted} inserted, ${report.updated} updated`);
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url, {
    headers: { accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml, text/xml, */*' },
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}
