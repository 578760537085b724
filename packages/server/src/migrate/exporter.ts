import type { Kysely } from 'kysely';
import { listArticles, listSitePins } from '../store/articles.repository.ts';
import { listThreadLocks } from '../store/comments.repository.ts';
import { authorUrlsOf } from '../store/import-sources.repository.ts';
import type { CommentRow, Database } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { toArticleDocument } from '../services/articles.ts';
import { PARLEY_EXPORT_VERSION, type ArticleRecord, type CommentRecord, type ExportRecord } from './parley-format.ts';

export interface ExportOptions {
  site: string;
  /** The site's settings (from the sites file), written into the header for the record. */
  settings?: unknown;
  now?: Date | undefined;
}

const PAGE = 1000;

/** Every comment of the site in id order, a page at a time (never the whole site in memory). */
export async function* commentsOfSite(db: Kysely<Database>, site: string): AsyncIterable<CommentRow[]> {
  let after: string | null = null;
  for (;;) {
    let query = db.selectFrom('comments').selectAll().where('site', '=', site);
    if (after !== null) query = query.where('id', '>', after);
    const rows = await query.orderBy('id').limit(PAGE).execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
  }
}

function commentRecord(row: CommentRow, authorUrl: string | null): CommentRecord {
  return {
    type: 'comment',
    id: row.id,
    page: row.page,
    parentId: row.parent_id,
    status: row.status,
    authorName: row.author_name,
    authorEmail: row.author_email,
    authorUrl,
    authorAvatar: row.author_avatar,
    body: row.body,
    html: row.html,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
    likes: Number(row.likes),
    pinned: Number(row.pinned) === 1,
  };
}

/**
 * Parley's export (JSON Lines, see parley-format.ts): a header, the site's articles, locks, related
 * pins and bans, then its comments with every status. Yields one line (with its newline) at a time.
 */
export async function* exportParley(store: Store, options: ExportOptions): AsyncIterable<string> {
  const { site } = options;
  const db = store.db;
  const line = (record: ExportRecord) => `${JSON.stringify(record)}\n`;
  yield line({ type: 'parley-export', version: PARLEY_EXPORT_VERSION, site, exportedAt: (options.now ?? new Date()).toISOString(), ...(options.settings !== undefined ? { settings: options.settings } : {}) });
  for (const row of await listArticles(db, site)) {
    const doc = toArticleDocument(row);
    const record: ArticleRecord = { type: 'article', ...doc, published: doc.published !== false, source: row.source, createdAt: row.created_at, updatedAt: row.updated_at };
    yield line(record);
  }
  for (const lock of await listThreadLocks(db, site)) yield line({ type: 'lock', page: lock.page, lockedAt: lock.locked_at });
  for (const [page, targets] of await listSitePins(db, site)) yield line({ type: 'related-pins', page, targets });
  const bans = await db.selectFrom('bans').selectAll().where('site', '=', site).orderBy('id').execute();
  for (const ban of bans) yield line({ type: 'ban', id: ban.id, kind: ban.kind, valueHash: ban.value_hash, reason: ban.reason, createdAt: ban.created_at, expiresAt: ban.expires_at });
  for await (const rows of commentsOfSite(db, site)) {
    const urls = await authorUrlsOf(db, site, rows.map((r) => r.id));
    let chunk = '';
    for (const row of rows) chunk += line(commentRecord(row, urls.get(row.id) ?? null));
    yield chunk;
  }
}
