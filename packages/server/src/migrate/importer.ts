import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../config.ts';
import { getOrCreateSetting } from '../store/comments.repository.ts';
import { deferIndexesIfEmpty, restoreDeferredIndexes, withImportCheckpoints } from '../store/deferred-indexes.ts';
import { pruneDeletedLeaves } from '../store/import-sources.repository.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { Identity, newSecret } from '../services/comments-identity.ts';
import { AuthorHashes } from './author-hashes.ts';
import { PARSERS, detectFormat } from './detect.ts';
import type { ImportFormat, ImportInput } from './item.ts';
import { bump, emptyReport, type ImportReport } from './report.ts';
import { newInput } from './source.ts';
import { PageMapper, type UrlMapping } from './text.ts';
import { ImportWriter, type Prepared } from './writer.ts';

/**
 * Called once after the import committed, with every page it wrote to: the one place where caches,
 * live streams, counts and the related index learn about imported comments. The admin route
 * publishes the changes on the server's notifier; the CLI announces them to running instances.
 */
export type AfterImport = (site: string, pages: readonly string[]) => void | Promise<void>;

export interface ImportProgress {
  file: string;
  bytesRead: number;
  totalBytes: number;
  comments: number;
}

export interface ImportOptions {
  site: string;
  /** Unset or `auto`: detected from each file's content. */
  format?: ImportFormat | 'auto' | undefined;
  /** Do everything in one transaction and roll it back: the report is exact, nothing stays. */
  dryRun?: boolean | undefined;
  mapUrl?: readonly UrlMapping[] | undefined;
  withPingbacks?: boolean | undefined;
  /**
   * Comments per transaction (default 1,000). Bigger batches cost the database less per comment
   * (index pages shared by more rows, fewer commits) but hold its write lock longer, and on a
   * server's own SQLite connection they hold up its requests meanwhile.
   */
  batchSize?: number | undefined;
  /** PARLEY_SECRET, for the avatar seeds (else the one kept in the database, as the server does). */
  secret?: string | undefined;
  afterImport?: AfterImport | undefined;
  onProgress?: ((progress: ImportProgress) => void) | undefined;
  now?: (() => Date) | undefined;
}

class DryRunRollback extends Error {}

/** Imports comment exports into `site`. Never throws for bad data: problems go into the report. */
export async function importComments(store: Store, files: readonly string[], options: ImportOptions): Promise<ImportReport> {
  const report = emptyReport(options.site, options.dryRun ?? false);
  const touched = new Set<string>();
  // `db` is where the secret is read (or made): inside a dry run's transaction, so that a database
  // with one connection (SQLite) is not asked for a second one while the first waits on it, and a
  // secret made for a dry run is rolled back with everything else.
  const run = async (db: Kysely<Database>, inTransaction: (work: (db: Kysely<Database>) => Promise<void>) => Promise<void>) => {
    const secret = options.secret || (await getOrCreateSetting(db, 'secret', newSecret));
    const authors = new AuthorHashes(new Identity(secret));
    for (const file of files) await importFile(store.dialect, file, authors, inTransaction, report, touched, options);
  };
  // Indexes a killed import left out come back first (their rows are what this run checks against).
  if (!options.dryRun) await store.transaction((trx) => restoreDeferredIndexes(trx, store.dialect));
  if (options.dryRun) {
    try {
      await store.transaction(async (trx) => {
        await run(trx, (work) => work(trx));
        throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
    return report;
  }
  await withImportCheckpoints(store.db, store.dialect, () => run(store.db, (work) => store.transaction(work)));
  if (touched.size > 0) await options.afterImport?.(options.site, [...touched]);
  return report;
}

async function importFile(
  dialect: DatabaseKind,
  file: string,
  authors: AuthorHashes,
  inTransaction: (work: (db: Kysely<Database>) => Promise<void>) => Promise<void>,
  report: ImportReport,
  touched: Set<string>,
  options: ImportOptions,
): Promise<void> {
  let format: ImportFormat | undefined;
  let input: ImportInput;
  try {
    input = newInput(file);
    format = options.format && options.format !== 'auto' ? options.format : await detectFormat(file);
  } catch (error) {
    report.files.push({ path: file, format: null, error: (error as Error).message });
    return;
  }
  if (!format) {
    report.files.push({ path: file, format: null, error: 'unrecognised format (give --format)' });
    return;
  }
  const entry: ImportReport['files'][number] = { path: file, format };
  report.files.push(entry);
  const writer = new ImportWriter({
    dialect,
    site: options.site,
    format,
    file,
    mapper: new PageMapper(options.mapUrl),
    withPingbacks: options.withPingbacks ?? false,
    authors,
    report,
    now: options.now?.() ?? new Date(),
  });
  const batchSize = options.batchSize ?? 1000;
  // A first import into an empty SQLite database builds the read-side indexes once, after the load
  // (see deferred-indexes.ts). Not in a dry run: its one transaction is rolled back anyway.
  let deferred = false;
  if (!options.dryRun) await inTransaction(async (db) => void (deferred = await deferIndexesIfEmpty(db, dialect)));
  let batch: Prepared[] = [];
  let seen = 0;
  const flush = async () => {
    const items = batch;
    batch = [];
    await inTransaction((db) => writer.write(db, items));
    options.onProgress?.({ file, ...input.progress, comments: seen });
  };
  try {
    for await (const item of PARSERS[format](input)) {
      switch (item.kind) {
        case 'thread':
          writer.thread(item);
          break;
        case 'comment': {
          seen++;
          const prepared = writer.prepare(item);
          if (prepared) batch.push(prepared);
          if (batch.length >= batchSize) await flush();
          break;
        }
        case 'article':
          writer.article(item);
          break;
        case 'lock':
          writer.lock(item.page, item.lockedAt);
          break;
        case 'related-pins':
          writer.relatedPins(item.page, item.targets);
          break;
        case 'ban':
          writer.ban(item);
          break;
        case 'problem':
          report.skipped.push({ file, sourceId: item.sourceId, reason: item.reason, failure: true });
          break;
      }
    }
    if (batch.length > 0 || writer.hasExtras) await flush();
  } catch (error) {
    // What committed stays; the report says where it stopped.
    entry.error = (error as Error).message;
  }
  await inTransaction(async (db) => {
    // Pruning below looks replies up by parent: that index must be back first.
    if (deferred) await restoreDeferredIndexes(db, dialect);
    await writer.finish(db);
    const dropped = await pruneDeletedLeaves(db, [...writer.deleted.keys()]);
    for (const id of dropped) {
      const page = writer.deleted.get(id)!;
      bump(report.byPage, page, -1);
      bump(report.byStatus, 'deleted', -1);
      report.imported--;
      report.deletedDropped++;
    }
  });
  for (const page of writer.touched) touched.add(page);
  options.onProgress?.({ file, ...input.progress, comments: seen });
}
