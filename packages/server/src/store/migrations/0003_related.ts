import type { Kysely } from 'kysely';

// Frozen in time: never edit a released migration, add a new one.
// Related articles: publication flag and provenance on articles, editors' pins, click counts.

export async function up(db: Kysely<any>): Promise<void> {
  // 1 = may be recommended; 0 = kept for ranking its own page, never shown.
  await db.schema.alterTable('articles').addColumn('published', 'integer', (col) => col.notNull().defaultTo(1)).execute();
  // 'owner' (import, admin API) or 'discovered' (reported by <parley-related>); discovery never overwrites 'owner'.
  await db.schema.alterTable('articles').addColumn('source', 'text', (col) => col.notNull().defaultTo('owner')).execute();

  await db.schema
    .createTable('related_pins')
    .addColumn('site', 'text', (col) => col.notNull())
    .addColumn('page_key', 'text', (col) => col.notNull())
    .addColumn('target_key', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('related_pins_pk', ['site', 'page_key', 'target_key'])
    .execute();

  // One row per site, clicked article and UTC day: no reader identifiers at all.
  await db.schema
    .createTable('related_clicks')
    .addColumn('site', 'text', (col) => col.notNull())
    .addColumn('target_key', 'text', (col) => col.notNull())
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('clicks', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('related_clicks_pk', ['site', 'target_key', 'day'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('related_clicks').execute();
  await db.schema.dropTable('related_pins').execute();
  await db.schema.alterTable('articles').dropColumn('source').execute();
  await db.schema.alterTable('articles').dropColumn('published').execute();
}
