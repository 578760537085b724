import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001_initial.ts';
import * as commentsReaderExperience from './0002_comments_reader_experience.ts';
import * as related from './0003_related.ts';
import * as moderation from './0004_moderation.ts';
import * as moderationWorkflow from './0005_moderation_workflow.ts';
import * as lifecycle from './0006_lifecycle.ts';
import * as security from './0007_security.ts';
import * as idempotency from './0008_idempotency.ts';
import * as importSources from './0009_import_sources.ts';
import * as relatedFeedback from './0010_related_feedback.ts';

/** Every migration, in an explicit map: no directory scanning, works under tsx and bundlers alike. */
export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_comments_reader_experience': commentsReaderExperience,
  '0003_related': related,
  '0004_moderation': moderation,
  '0005_moderation_workflow': moderationWorkflow,
  '0006_lifecycle': lifecycle,
  '0007_security': security,
  '0008_idempotency': idempotency,
  '0009_import_sources': importSources,
  '0010_related_feedback': relatedFeedback,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
