import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';

// Frozen in time: never edit a released migration, add a new one.
// Portable types only (text, integer) so SQLite and PostgreSQL share it.
//
// Backfilled `html` is the plain text, HTML-escaped, one <p> per blank-line-separated block with
// <br> for line breaks. The live markdown renderer is deliberately NOT imported: it will change
// (and its sanitiser with it), and a migration must produce the same rows forever. Escaped text is
// safe under any sanitiser; `parley` can re-render old comments with the current renderer later.

const BATCH = 500;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[ch]};`);
}

function plainHtml(body: string): string {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter((block) => block !== '')
    .map((block) => `<p>${escapeHtml(block).replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('comments').addColumn('html', 'text', (col) => col.notNull().defaultTo('')).execute();
  await db.schema.alterTable('comments').addColumn('root_id', 'text').execute();
  await db.schema.alterTable('comments').addColumn('edit_token_hash', 'text').execute();
  await db.schema.alterTable('comments').addColumn('edited_at', 'text').execute();
  await db.schema.alterTable('comments').addColumn('deleted_at', 'text').execute();
  await db.schema.alterTable('comments').addColumn('likes', 'integer', (col) => col.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('comments').addColumn('ip_hash', 'text').execute();
  await db.schema.alterTable('comments').addColumn('author_avatar', 'text').execute();
  await db.schema.alterTable('comments').addColumn('author_email_hash', 'text').execute();

  // Backfill: html, the email hash, and root_id (the top-level ancestor, for branch reads).
  const parents = new Map<string, string | null>();
  let last = '';
  for (;;) {
    const rows: Array<{ id: string; parent_id: string | null; body: string; author_email: string | null }> = await db
      .selectFrom('comments')
      .select(['id', 'parent_id', 'body', 'author_email'])
      .where('id', '>', last)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      parents.set(row.id, row.parent_id);
      const email = row.author_email?.trim().toLowerCase();
      await db
        .updateTable('comments')
        .set({
          html: plainHtml(row.body),
          author_email_hash: email ? createHash('sha256').update(email).digest('hex') : null,
        })
        .where('id', '=', row.id)
        .execute();
    }
    last = rows[rows.length - 1]!.id;
  }
  for (const id of parents.keys()) {
    let root = id;
    for (let parent = parents.get(root); parent; parent = parents.get(root)) root = parent;
    await db.updateTable('comments').set({ root_id: root }).where('id', '=', id).execute();
  }

  // A branch (a top-level comment and every descendant), oldest first.
  await db.schema.createIndex('comments_root_created_idx').on('comments').columns(['root_id', 'created_at', 'id']).execute();
  // Top-level pages: WHERE site AND page AND parent_id IS NULL ORDER BY created_at, id.
  await db.schema
    .createIndex('comments_site_page_parent_created_idx')
    .on('comments')
    .columns(['site', 'page', 'parent_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('comment_likes')
    .addColumn('comment_id', 'text', (col) => col.notNull().references('comments.id'))
    /** HMAC of the reader id: one like per reader per comment. */
    .addColumn('reader_hash', 'text', (col) => col.notNull())
    /** Salted hash of the client IP: caps counted likes per address. Raw IPs are never stored. */
    .addColumn('ip_hash', 'text', (col) => col.notNull())
    /** 1 when the like is part of comments.likes, 0 when the per-IP cap kept it out. */
    .addColumn('counted', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('comment_likes_pk', ['comment_id', 'reader_hash'])
    .execute();
  await db.schema.createIndex('comment_likes_comment_ip_idx').on('comment_likes').columns(['comment_id', 'ip_hash']).execute();

  await db.schema
    .createTable('comment_events')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('site', 'text', (col) => col.notNull())
    .addColumn('page', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    // No foreign key: events of removed comments stay replayable.
    .addColumn('comment_id', 'text', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('comment_events_site_page_id_idx').on('comment_events').columns(['site', 'page', 'id']).execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('settings').execute();
  await db.schema.dropTable('comment_events').execute();
  await db.schema.dropTable('comment_likes').execute();
  await db.schema.dropIndex('comments_site_page_parent_created_idx').execute();
  await db.schema.dropIndex('comments_root_created_idx').execute();
  for (const column of ['author_email_hash', 'author_avatar', 'ip_hash', 'likes', 'deleted_at', 'edited_at', 'edit_token_hash', 'root_id', 'html']) {
    await db.schema.alterTable('comments').dropColumn(column).execute();
  }
}
