import type { Kysely } from 'kysely';

// Frozen in time: never edit a released migration, add a new one.
// Portable types only (text, integer) so SQLite and PostgreSQL share it. Timestamps are ISO-8601 UTC text.
//
// Where each imported comment came from (issue #10): the source system and its id for the comment,
// unique per site, so running the same import again finds every item already there and writes nothing.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_sources')
    .addColumn('site', 'text', (col) => col.notNull())
    // disqus | wordpress | isso | remark42 | commento | parley
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('source_id', 'text', (col) => col.notNull())
    // The comment written for it; null when the item was deliberately not kept (a deleted comment
    // without replies), so a repeat skips it too. No foreign key: a later erasure removes the comment only.
    .addColumn('comment_id', 'text')
    // The author's website as the source had it (http(s) only); Parley's comments have no such field.
    .addColumn('author_url', 'text')
    .addColumn('imported_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('import_sources_pk', ['site', 'source', 'source_id'])
    .execute();
  await db.schema.createIndex('import_sources_comment_idx').on('import_sources').column('comment_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_sources').execute();
}
