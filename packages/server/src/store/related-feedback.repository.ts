import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import './related-feedback.schema.ts';

type Db = Kysely<Database>;

export interface CardSeen {
  targetKey: string;
  position: number;
}

/** Counts cards seen in one box (one row per card and position and day). */
export async function recordImpressions(db: Db, site: string, pageKey: string, seen: readonly CardSeen[], day: string): Promise<void> {
  if (seen.length === 0) return;
  await db
    .insertInto('related_feedback')
    .values(seen.map(({ targetKey, position }) => ({ site, page_key: pageKey, target_key: targetKey, position, day, impressions: 1, clicks: 0 })))
    .onConflict((oc) =>
      oc.columns(['site', 'page_key', 'target_key', 'position', 'day']).doUpdateSet((eb) => ({ impressions: eb(eb.ref('related_feedback.impressions'), '+', 1) })),
    )
    .execute();
}

/** Counts one click on the card at `position`. */
export async function recordPositionClick(db: Db, site: string, pageKey: string, card: CardSeen, day: string): Promise<void> {
  await db
    .insertInto('related_feedback')
    .values({ site, page_key: pageKey, target_key: card.targetKey, position: card.position, day, impressions: 0, clicks: 1 })
    .onConflict((oc) =>
      oc.columns(['site', 'page_key', 'target_key', 'position', 'day']).doUpdateSet((eb) => ({ clicks: eb(eb.ref('related_feedback.clicks'), '+', 1) })),
    )
    .execute();
}

/** One more distinct address went from `pageKey` to `targetKey` on `day` (the caller enforces "distinct"). */
export async function recordCovisit(db: Db, site: string, pageKey: string, targetKey: string, day: string): Promise<void> {
  await db
    .insertInto('related_covisits')
    .values({ site, page_key: pageKey, target_key: targetKey, day, visits: 1 })
    .onConflict((oc) => oc.columns(['site', 'page_key', 'target_key', 'day']).doUpdateSet((eb) => ({ visits: eb(eb.ref('related_covisits.visits'), '+', 1) })))
    .execute();
}

export interface FeedbackTotals {
  impressions: number;
  clicks: number;
}

/** Impressions and clicks per box position since `fromDay` (inclusive). */
export async function feedbackByPosition(db: Db, site: string, fromDay: string): Promise<(FeedbackTotals & { position: number })[]> {
  const rows = await db
    .selectFrom('related_feedback')
    .select(['position', (eb) => eb.fn.sum<number>('impressions').as('impressions'), (eb) => eb.fn.sum<number>('clicks').as('clicks')])
    .where('site', '=', site)
    .where('day', '>=', fromDay)
    .groupBy('position')
    .orderBy('position')
    .execute();
  return rows.map((row) => ({ position: Number(row.position), impressions: Number(row.impressions), clicks: Number(row.clicks) }));
}

/** Impressions and clicks per recommended article since `fromDay`, most seen first. */
export async function feedbackByArticle(db: Db, site: string, fromDay: string, limit: number): Promise<(FeedbackTotals & { targetKey: string })[]> {
  const rows = await db
    .selectFrom('related_feedback')
    .select(['target_key', (eb) => eb.fn.sum<number>('impressions').as('impressions'), (eb) => eb.fn.sum<number>('clicks').as('clicks')])
    .where('site', '=', site)
    .where('day', '>=', fromDay)
    .groupBy('target_key')
    .orderBy('impressions', 'desc')
    .orderBy('target_key')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ targetKey: row.target_key, impressions: Number(row.impressions), clicks: Number(row.clicks) }));
}

/** A site's co-visits since `fromDay`, newest days first, at most `limit` rows. */
export async function covisitsOfSite(db: Db, site: string, fromDay: string, limit: number) {
  return db
    .selectFrom('related_covisits')
    .select(['page_key', 'target_key', 'day', 'visits'])
    .where('site', '=', site)
    .where('day', '>=', fromDay)
    .orderBy('day', 'desc')
    .limit(limit)
    .execute();
}

/** Drops a site's feedback older than `beforeDay`: counts past the window serve no report and no ranking. */
export async function purgeFeedback(db: Db, site: string, beforeDay: string): Promise<void> {
  await db.deleteFrom('related_covisits').where('site', '=', site).where('day', '<', beforeDay).execute();
  await db.deleteFrom('related_feedback').where('site', '=', site).where('day', '<', beforeDay).execute();
}
