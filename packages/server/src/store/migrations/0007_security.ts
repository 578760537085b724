import type { Kysely } from 'kysely';

// Frozen in time: never edit a released migration, add a new one.
// Portable types only (text, integer) so SQLite and PostgreSQL share it. Timestamps are ISO-8601 UTC text.
//
// Security (issue 14): console roles, single-use mailed links, pruning the live-event log, and one
// page key for `/a1` and `/a1/`.

export async function up(db: Kysely<any>): Promise<void> {
  // Every account that existed before roles could manage everything: it stays an owner.
  await db.schema.alterTable('admins').addColumn('role', 'text', (col) => col.notNull().defaultTo('owner')).execute();
  // The sites a moderator may moderate (owners need no rows: they have every site).
  await db.schema
    .createTable('admin_sites')
    .addColumn('admin_id', 'text', (col) => col.notNull())
    .addColumn('site', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('admin_sites_pk', ['admin_id', 'site'])
    .execute();

  // Hashes of mailed links already followed (privacy confirmation, unsubscribe): each works once.
  // Rows are kept until the link would have expired anyway.
  await db.schema
    .createTable('used_tokens')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('purpose', 'text', (col) => col.notNull())
    .addColumn('used_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('used_tokens_expires_idx').on('used_tokens').column('expires_at').execute();

  // The live-event log is pruned by age.
  await db.schema.createIndex('comment_events_created_idx').on('comment_events').column('created_at').execute();

  await mergeTrailingSlashKeys(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('comment_events_created_idx').execute();
  await db.schema.dropTable('used_tokens').execute();
  await db.schema.dropTable('admin_sites').execute();
  await db.schema.alterTable('admins').dropColumn('role').execute();
}

/** `/a1/` and `/a1` are one page from now on: rows under the slashed key move to the bare one (the bare one wins a clash). */
async function mergeTrailingSlashKeys(db: Kysely<any>): Promise<void> {
  const bare = (key: string) => key.replace(/\/+$/, '') || '/';
  const articles: Array<{ site: string; page_key: string }> = await db.selectFrom('articles').select(['site', 'page_key']).where('page_key', 'like', '%/').execute();
  for (const row of articles) {
    const key = bare(row.page_key);
    if (key === row.page_key) continue;
    const clash = await db.selectFrom('articles').select('page_key').where('site', '=', row.site).where('page_key', '=', key).executeTakeFirst();
    if (clash) await db.deleteFrom('articles').where('site', '=', row.site).where('page_key', '=', row.page_key).execute();
    else await db.updateTable('articles').set({ page_key: key }).where('site', '=', row.site).where('page_key', '=', row.page_key).execute();
  }
  const pins = (await db
    .selectFrom('related_pins')
    .selectAll()
    .where((eb: any) => eb.or([eb('page_key', 'like', '%/'), eb('target_key', 'like', '%/')]))
    .execute()) as Array<{ site: string; page_key: string; target_key: string; position: number; created_at: string }>;
  for (const pin of pins) {
    await db.deleteFrom('related_pins').where('site', '=', pin.site).where('page_key', '=', pin.page_key).where('target_key', '=', pin.target_key).execute();
    const moved = { ...pin, page_key: bare(pin.page_key), target_key: bare(pin.target_key) };
    if (moved.page_key === moved.target_key) continue;
    await db.insertInto('related_pins').values(moved).onConflict((oc: any) => oc.columns(['site', 'page_key', 'target_key']).doNothing()).execute();
  }
  const clicks = (await db.selectFrom('related_clicks').selectAll().where('target_key', 'like', '%/').execute()) as Array<{ site: string; target_key: string; day: string; clicks: number }>;
  for (const click of clicks) {
    const key = bare(click.target_key);
    if (key === click.target_key) continue;
    await db.deleteFrom('related_clicks').where('site', '=', click.site).where('target_key', '=', click.target_key).where('day', '=', click.day).execute();
    await db
      .insertInto('related_clicks')
      .values({ ...click, target_key: key })
      .onConflict((oc: any) => oc.columns(['site', 'target_key', 'day']).doUpdateSet((eb: any) => ({ clicks: eb('related_clicks.clicks', '+', Number(click.clicks)) })))
      .execute();
  }
}
