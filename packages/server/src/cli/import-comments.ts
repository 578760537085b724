import { parseArgs } from 'node:util';
import type { CliIo } from '../cli.ts';
import { loadConfig } from '../config.ts';
import { importComments } from '../migrate/importer.ts';
import { IMPORT_FORMATS, type ImportFormat } from '../migrate/item.ts';
import { formatReport, importFailed } from '../migrate/report.ts';
import { parseUrlMapping } from '../migrate/text.ts';
import { importChanges } from '../routes/admin-migrate.ts';
import { announceToInstances } from '../services/live/announce.ts';
import { enlargePagesIfEmpty } from '../store/import-page-size.ts';
import { openStore, storeOptions } from '../store/store.ts';
import { progressView } from './progress.ts';
import { newDatabaseRemover, sqliteFile } from './store.ts';

const CLI_BATCH_SIZE = 10_000;

const USAGE = `Usage: parley import-comments FILE... --site ID [options]
  Imports comments from another system's export (gzipped or not) into site ID.
  --format F         auto (default: detected from the content) | ${IMPORT_FORMATS.join(' | ')}
  --map-url FROM=TO  rewrite a URL prefix or host before the page key is taken (repeatable),
                     e.g. --map-url https://old.example.com/blog/=/posts/
  --with-pingbacks   also import WordPress pingbacks and trackbacks
  --dry-run          print the report without writing anything
Running the same import again changes nothing. Exit code 1 when an item or a file failed (the rest is kept).`;

/** `parley import-comments …`; resolves to the exit code. */
export async function runImportComments(argv: readonly string[], io: CliIo, isTty = Boolean(process.stderr.isTTY)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        site: { type: 'string' },
        format: { type: 'string', default: 'auto' },
        'map-url': { type: 'string', multiple: true, default: [] },
        'with-pingbacks': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }
  const { values, positionals: files } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const format = values.format;
  if (!values.site || files.length === 0 || (format !== 'auto' && !IMPORT_FORMATS.includes(format as ImportFormat))) {
    io.err(`parley: import-comments needs FILE... and --site ID${format !== 'auto' && !IMPORT_FORMATS.includes(format as ImportFormat) ? ` (unknown format "${format}")` : ''}\n\n${USAGE}`);
    return 1;
  }
  let mapUrl;
  try {
    mapUrl = values['map-url'].map(parseUrlMapping);
  } catch (error) {
    io.err(`parley: ${(error as Error).message}`);
    return 1;
  }
  const config = loadConfig(io.env);
  // A dry run leaves nothing behind, not even the database file it had to create to answer.
  const removeIfNew = values['dry-run'] ? newDatabaseRemover(config.databaseUrl) : () => {};
  // A first import into a new or empty SQLite database gets bigger pages (store/import-page-size.ts).
  const file = values['dry-run'] ? undefined : sqliteFile(config.databaseUrl);
  try {
    if (file) enlargePagesIfEmpty(file);
  } catch {
    // An optimisation only: opening the store below reports what is wrong with the file.
  }
  const store = openStore(config.databaseUrl, storeOptions(config));
  const progress = progressView(isTty, io.err);
  try {
    await store.migrate();
    const report = await importComments(store, files, {
      site: values.site,
      format: format as ImportFormat | 'auto',
      dryRun: values['dry-run'],
      mapUrl,
      withPingbacks: values['with-pingbacks'],
      // Its own process and connection: big transactions (SQLite's work per comment falls by a
      // third from 1,000 to 10,000; a running server's writes wait at most one batch's inserts).
      batchSize: CLI_BATCH_SIZE,
      secret: config.secret,
      // Running servers re-read what changed (PostgreSQL: a NOTIFY; SQLite servers watch the file).
      afterImport: (site, pages) => announceToInstances(config, importChanges(site, pages)),
      onProgress: (p) => progress.update(p),
    });
    progress.stop();
    for (const line of formatReport(report)) io.out(line);
    return importFailed(report) ? 1 : 0;
  } catch (error) {
    progress.stop();
    io.err(`parley: ${(error as Error).message}`);
    return 1;
  } finally {
    await store.close();
    removeIfNew();
  }
}
