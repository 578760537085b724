import type { Config } from '../../config.ts';
import type { Change } from './notifier.ts';
import { PgNotifier } from './pg-notifier.ts';

/**
 * Tells running instances what a separate process (the CLI) wrote. On PostgreSQL that is a NOTIFY
 * on the instances' channel; on SQLite nothing is needed: the server notices the file's
 * data_version move and re-reads.
 */
export async function announceToInstances(config: Pick<Config, 'databaseUrl' | 'pgSchema'>, changes: readonly Change[]): Promise<void> {
  if (!config.databaseUrl.startsWith('postgres')) return;
  const notifier = new PgNotifier({ connectionString: config.databaseUrl, schema: config.pgSchema, listen: false });
  try {
    for (const change of changes) notifier.publish(change);
  } finally {
    await notifier.close();
  }
}
