import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * For `first-time` moderation: whether the author (by the email hash the comments service stores)
 * already has a published comment on the site.
 */
export async function authorHasApprovedComment(db: Kysely<Database>, site: string, emailHash: string): Promise<boolean> {
  const row = await db
    .selectFrom('comments')
    .select('id')
    .where('site', '=', site)
    .where('author_email_hash', '=', emailHash)
    .where('status', '=', 'visible')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
