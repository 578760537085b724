import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../config.ts';
import { insertMany, paddedInChunks } from './bulk.ts';
import type { Database, NewCommentRow } from './schema.ts';
import './comments.repository.ts';

// Migration 0009, merged into the store's types by declaration merging (schema.ts stays as it is).
declare module './schema.ts' {
  interface Database {
    import_sources: ImportSourcesTable;
  }
}

export interface ImportSourcesTable {
  site: string;
  source: string;
  source_id: string;
  comment_id: string | null;
  author_url: string | null;
  imported_at: string;
}

type Db = Kysely<Database>;

/** What an earlier import wrote for a source id: the comment (if kept) and where it sits. */
export interface ImportedRef {
  sourceId: string;
  commentId: string | null;
  rootId: string | null;
  page: string | null;
}

/** IN-list length (padded to a power of two, see paddedInChunks). */
const CHUNK = 512;

/** Source ids of `ids` that a previous import of `source` into `site` already recorded. */
export async function findImported(db: Db, site: string, source: string, ids: readonly string[]): Promise<Map<string, ImportedRef>> {
  const found = new Map<string, ImportedRef>();
  for (const chunk of paddedInChunks(ids, CHUNK)) {
    const rows = await db
      .selectFrom('import_sources as s')
      .leftJoin('comments as c', 'c.id', 's.comment_id')
      .select(['s.source_id', 's.comment_id', 'c.root_id', 'c.page', 'c.id as existing'])
      .where('s.site', '=', site)
      .where('s.source', '=', source)
      .where('s.source_id', 'in', chunk)
      .execute();
    for (const row of rows) {
      // A comment erased since (privacy request, pruned placeholder) is remembered but has no row.
      const kept = row.existing !== null && row.existing !== undefined;
      found.set(row.source_id, { sourceId: row.source_id, commentId: kept ? row.comment_id : null, rootId: kept ? row.root_id : null, page: kept ? row.page : null });
    }
  }
  return found;
}

/** Comment ids among `ids` that exist already, with their site (an export imported where it came from, or into another site). */
export async function findExistingCommentIds(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const chunk of paddedInChunks(ids, CHUNK)) {
    const rows = await db.selectFrom('comments').select(['id', 'site']).where('id', 'in', chunk).execute();
    for (const row of rows) found.set(row.id, row.site);
  }
  return found;
}

/**
 * Comments and their source rows, in as few statements as the dialect's parameter limit allows.
 * Every comment row must carry every column (the first row names them).
 */
export async function insertImportedComments(db: Db, kind: DatabaseKind, comments: readonly NewCommentRow[], sources: readonly ImportSourcesTable[]): Promise<void> {
  await insertMany(db, kind, 'comments', comments);
  await insertMany(db, kind, 'import_sources', sources, ['site', 'source', 'source_id']);
}

/**
 * A reply imported before its parent was top level for a while; now it moves under the parent, and
 * it and its descendants (`subtree`: the comments whose root it was, itself included) take the
 * parent's root. By id, not by `root_id`: the import builds the root index after the load.
 */
export async function attachToParent(db: Db, childId: string, parentId: string, rootId: string, subtree: readonly string[]): Promise<void> {
  await db.updateTable('comments').set({ parent_id: parentId }).where('id', '=', childId).execute();
  for (const chunk of paddedInChunks(subtree, CHUNK)) await db.updateTable('comments').set({ root_id: rootId }).where('id', 'in', chunk).execute();
}

/**
 * Deletes the given `deleted` comments that have no replies at all, repeatedly (a deleted chain
 * disappears from its leaf up): a deleted comment stays only as the placeholder of its replies.
 * Answers the ids that went.
 */
export async function pruneDeletedLeaves(db: Db, ids: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  let candidates = [...ids];
  while (candidates.length > 0) {
    const gone: string[] = [];
    for (const chunk of paddedInChunks(candidates, CHUNK)) {
      const rows = await db
        .deleteFrom('comments')
        .where('id', 'in', chunk)
        .where('status', '=', 'deleted')
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('comments as child').select(sql.lit(1).as('one')).whereRef('child.parent_id', '=', 'comments.id'))))
        .returning(['id', 'parent_id'])
        .execute();
      for (const row of rows) {
        removed.push(row.id);
        if (row.parent_id) gone.push(row.parent_id);
      }
    }
    candidates = [...new Set(gone)];
  }
  return removed;
}

/** The website an import recorded for each comment of the site (for the export). */
export async function authorUrlsOf(db: Db, site: string, commentIds: readonly string[]): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  for (const chunk of paddedInChunks(commentIds, CHUNK)) {
    const rows = await db
      .selectFrom('import_sources')
      .select(['comment_id', 'author_url'])
      .where('site', '=', site)
      .where('comment_id', 'in', chunk)
      .where('author_url', 'is not', null)
      .execute();
    for (const row of rows) if (row.comment_id && row.author_url) urls.set(row.comment_id, row.author_url);
  }
  return urls;
}
