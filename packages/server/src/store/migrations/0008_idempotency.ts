import type { Kysely } from 'kysely';

// Frozen in time: never edit a released migration, add a new one.
// Portable types only (text, integer) so SQLite and PostgreSQL share it. Timestamps are ISO-8601 UTC text.
//
// Idempotency keys for POST /api/comments: a client that retries after a dropped connection sends the
// same `Idempotency-Key` and gets the first answer back instead of posting twice.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('site', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    // SHA-256 of the request body: the same key with another body is refused, not replayed.
    .addColumn('request_hash', 'text', (col) => col.notNull())
    // NULL while the first request is still being answered.
    .addColumn('status', 'integer')
    .addColumn('response', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['site', 'key'])
    .execute();
  // Pruning deletes by age.
  await db.schema.createIndex('idempotency_keys_created_idx').on('idempotency_keys').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}
