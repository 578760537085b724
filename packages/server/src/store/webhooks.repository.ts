import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { WebhookDeliveryRow } from './moderation.schema.ts';

export async function insertDeliveries(
  db: Kysely<Database>,
  rows: ReadonlyArray<{ id: string; site: string; url: string; event: string; payload: string; next_attempt_at: string; created_at: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  await insertDeliveriesQuery(db, rows).execute();
}

/** The insert of deliveries (at least one), to run later in a change's transaction. */
export function insertDeliveriesQuery(db: Kysely<Database>, rows: ReadonlyArray<{ id: string; site: string; url: string; event: string; payload: string; next_attempt_at: string; created_at: string }>) {
  return db.insertInto('webhook_deliveries').values([...rows]);
}

/** Pending deliveries whose time has come, oldest first. */
export async function listDueDeliveries(db: Kysely<Database>, now: string, limit: number): Promise<WebhookDeliveryRow[]> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function recordAttempt(
  db: Kysely<Database>,
  id: string,
  outcome: {
    attempts: number;
    status: 'pending' | 'delivered' | 'failed';
    lastStatus: number | null;
    lastError: string | null;
    nextAttemptAt: string;
    deliveredAt: string | null;
  },
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      attempts: outcome.attempts,
      status: outcome.status,
      last_status: outcome.lastStatus,
      last_error: outcome.lastError,
      next_attempt_at: outcome.nextAttemptAt,
      delivered_at: outcome.deliveredAt,
    })
    .where('id', '=', id)
    .execute();
}

/** The console's delivery log: newest first. */
export async function listDeliveries(db: Kysely<Database>, site: string, limit = 100): Promise<WebhookDeliveryRow[]> {
  return db.selectFrom('webhook_deliveries').selectAll().where('site', '=', site).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
