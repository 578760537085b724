import type { Kysely } from 'kysely';

// Frozen in time: never edit a released migration, add a new one.
// Portable types only (text, integer) so SQLite and PostgreSQL share it. Timestamps are ISO-8601 UTC text.
// Moderation building blocks: admin accounts and sessions, login throttling, shared rate-limit
// counters, webhook deliveries, reader flags and bans. No raw IP or email is stored in any of them.

export async function up(db: Kysely<any>): Promise<void> {
  // Server secrets made on first use (the salt of IP and login-key hashes), shared by every instance.
  await db.schema
    .createTable('secrets')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('admins')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('email', 'text', (col) => col.notNull().unique())
    /** `scrypt$N$r$p$salt$hash` (base64url), see admin/passwords.ts. */
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('admin_sessions')
    // SHA-256 hex of the cookie value; the cookie itself is never stored.
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('admin_id', 'text', (col) => col.notNull().references('admins.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('admin_sessions_admin_idx').on('admin_sessions').column('admin_id').execute();
  await db.schema.createIndex('admin_sessions_expires_idx').on('admin_sessions').column('expires_at').execute();

  await db.schema
    .createTable('login_attempts')
    // SHA-256 hex of "email|ip hash".
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addColumn('window_start', 'text', (col) => col.notNull())
    .execute();

  // Fixed-window counters shared by every instance on the same database.
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addColumn('reset_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_reset_idx').on('rate_limits').column('reset_at').execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('site', 'text', (col) => col.notNull())
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('event', 'text', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    // pending → delivered | failed (gave up after the last attempt)
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('pending'))
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  // The worker's query, and the console's delivery log.
  await db.schema
    .createIndex('webhook_deliveries_due_idx')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_site_created_idx')
    .on('webhook_deliveries')
    .columns(['site', 'created_at'])
    .execute();

  await db.schema
    .createTable('flags')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('comment_id', 'text', (col) => col.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('site', 'text', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('detail', 'text')
    // Salted hash of the reporter's IP: one flag per reader per comment.
    .addColumn('reporter_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('flags_comment_reporter_unique', ['comment_id', 'reporter_hash'])
    .execute();
  await db.schema.createIndex('flags_site_created_idx').on('flags').columns(['site', 'created_at']).execute();

  // Duplicate detection: normalised body hashes per author/IP hash, kept for the site's window.
  await db.schema
    .createTable('content_fingerprints')
    .addColumn('site', 'text', (col) => col.notNull())
    .addColumn('actor_hash', 'text', (col) => col.notNull())
    .addColumn('body_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('content_fingerprints_lookup_idx')
    .on('content_fingerprints')
    .columns(['site', 'body_hash', 'actor_hash', 'created_at'])
    .execute();
  await db.schema.createIndex('content_fingerprints_created_idx').on('content_fingerprints').column('created_at').execute();

  await db.schema
    .createTable('bans')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('site', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('value_hash', 'text', (col) => col.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text')
    .execute();
  await db.schema.createIndex('bans_lookup_idx').on('bans').columns(['site', 'kind', 'value_hash']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['bans', 'content_fingerprints', 'flags', 'webhook_deliveries', 'rate_limits', 'login_attempts', 'admin_sessions', 'admins', 'secrets']) {
    await db.schema.dropTable(table).execute();
  }
}
