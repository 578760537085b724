import type { Kysely } from 'kysely';

// Frozen in time: never edit a released migration, add a new one.
// Portable types only (text, integer) so SQLite and PostgreSQL share it. Days are `YYYY-MM-DD` UTC.
//
// What readers do with "You may also like": cards seen and followed per box position, and
// co-visits ("readers of A went on to B"). Counts only: no reader id, no address, no cookie.

export async function up(db: Kysely<any>): Promise<void> {
  // One row per site, page the box was on, card's article, position (0-based) and day.
  await db.schema
    .createTable('related_feedback')
    .addColumn('site', 'text', (col) => col.notNull())
    .addColumn('page_key', 'text', (col) => col.notNull())
    .addColumn('target_key', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('impressions', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('clicks', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('related_feedback_pk', ['site', 'page_key', 'target_key', 'position', 'day'])
    .execute();
  // The console's reports and the co-visit refresh read a site's recent days.
  await db.schema.createIndex('related_feedback_site_day_idx').on('related_feedback').columns(['site', 'day']).execute();

  // Co-visits that count for ranking: at most one per address, pair and day (checked before the
  // write, against the rate-limit store), so `visits` is a count of distinct addresses.
  await db.schema
    .createTable('related_covisits')
    .addColumn('site', 'text', (col) => col.notNull())
    .addColumn('page_key', 'text', (col) => col.notNull())
    .addColumn('target_key', 'text', (col) => col.notNull())
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('visits', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('related_covisits_pk', ['site', 'page_key', 'target_key', 'day'])
    .execute();
  await db.schema.createIndex('related_covisits_site_day_idx').on('related_covisits').columns(['site', 'day']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('related_covisits').execute();
  await db.schema.dropTable('related_feedback').execute();
}
