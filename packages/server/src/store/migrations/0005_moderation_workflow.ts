import type { Kysely } from 'kysely';

// Frozen in time: never edit a released migration, add a new one.
// Portable types only (text, integer) so SQLite and PostgreSQL share it. Timestamps are ISO-8601 UTC text.
//
// The moderation workflow on comments: pinned comments, locked threads, reply-notification
// subscriptions, and an index per console query path. Nothing is dropped or rewritten.

export async function up(db: Kysely<any>): Promise<void> {
  // 1 when a moderator pinned it: pinned top-level comments sort first in public lists.
  await db.schema.alterTable('comments').addColumn('pinned', 'integer', (col) => col.notNull().defaultTo(0)).execute();
  // Public top-level lists now order by `pinned desc` first (then the reader's sort).
  await db.schema
    .createIndex('comments_site_page_parent_pinned_created_idx')
    .on('comments')
    .columns(['site', 'page', 'parent_id', 'pinned desc', 'created_at', 'id'])
    .execute();
  // Console queues: a site's comments of one status, newest first.
  await db.schema.createIndex('comments_site_status_id_idx').on('comments').columns(['site', 'status', 'id']).execute();
  // Privacy requests and the first-time rule find an author's comments by email.
  await db.schema.createIndex('comments_site_email_idx').on('comments').columns(['site', 'author_email']).execute();

  // A locked thread takes no new comments or replies; unlocking deletes the row.
  await db.schema
    .createTable('thread_locks')
    .addColumn('site', 'text', (col) => col.notNull())
    .addColumn('page', 'text', (col) => col.notNull())
    .addColumn('locked_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('thread_locks_pk', ['site', 'page'])
    .execute();

  // "Mail me replies": one row per comment whose author asked; `confirmed_at` set by the double opt-in
  // link, `unsubscribed_at` by the one-click link. The email is the comment's own (erased with it).
  await db.schema
    .createTable('reply_subscriptions')
    .addColumn('comment_id', 'text', (col) => col.primaryKey().references('comments.id').onDelete('cascade'))
    .addColumn('site', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('unsubscribed_at', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reply_subscriptions').execute();
  await db.schema.dropTable('thread_locks').execute();
  await db.schema.dropIndex('comments_site_email_idx').execute();
  await db.schema.dropIndex('comments_site_status_id_idx').execute();
  await db.schema.dropIndex('comments_site_page_parent_pinned_created_idx').execute();
  await db.schema.alterTable('comments').dropColumn('pinned').execute();
}
