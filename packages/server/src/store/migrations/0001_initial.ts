import type { Kysely } from 'kysely';

// Frozen in time: never edit a released migration, add a new one.
// Portable types only (text, integer) so SQLite and PostgreSQL share it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('comments')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('site', 'text', (col) => col.notNull())
    .addColumn('page', 'text', (col) => col.notNull())
    .addColumn('parent_id', 'text', (col) => col.references('comments.id'))
    .addColumn('author_name', 'text')
    .addColumn('author_email', 'text')
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('visible'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  // Thread reads and counts: WHERE site = ? AND page = ? AND status = ? ORDER BY created_at.
  await db.schema
    .createIndex('comments_site_page_status_created_idx')
    .on('comments')
    .columns(['site', 'page', 'status', 'created_at'])
    .execute();
  // Reply lookups (and later: cascading moderation).
  await db.schema.createIndex('comments_parent_id_idx').on('comments').column('parent_id').execute();

  await db.schema
    .createTable('articles')
    .addColumn('site', 'text', (col) => col.notNull())
    .addColumn('page_key', 'text', (col) => col.notNull())
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('image', 'text')
    .addColumn('section', 'text')
    .addColumn('tags', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('published_at', 'text')
    .addColumn('body', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('articles_pk', ['site', 'page_key'])
    .execute();
  // Recency fallback for related articles.
  await db.schema
    .createIndex('articles_site_published_idx')
    .on('articles')
    .columns(['site', 'published_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('articles').execute();
  await db.schema.dropTable('comments').execute();
}
