import { randomBytes } from 'node:crypto';
import { encodeTime } from 'ulidx';
import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../config.ts';
import { findExistingPageKeys, upsertArticles, replacePins } from '../store/articles.repository.ts';
import { setThreadLock } from '../store/comments.repository.ts';
import { attachToParent, findExistingCommentIds, findImported, insertImportedComments, type ImportedRef, type ImportSourcesTable } from '../store/import-sources.repository.ts';
import type { Database, NewArticleRow, NewCommentRow } from '../store/schema.ts';
import { sanitizeCommentHtml } from '../services/markdown.ts';
import type { AuthorHashes } from './author-hashes.ts';
import { PendingRoots } from './pending-roots.ts';
import type { ArticleItem, BanItem, CommentItem, ImportFormat, ThreadItem } from './item.ts';
import { bump, type ImportReport } from './report.ts';
import { commentHtml, htmlToText, httpWebsite, plainEmail, plainName, plainText, sourceDate, type PageMapper } from './text.ts';

type Db = Kysely<Database>;

/** A comment ready to insert, with what threading needs (not the item: its source text can go). */
export interface Prepared {
  sourceId: string;
  parentSourceId: string | null;
  row: NewCommentRow & { id: string; page: string; root_id: string };
  authorUrl: string | null;
  depth: number;
}

export interface WriterOptions {
  dialect: DatabaseKind;
  site: string;
  format: ImportFormat;
  file: string;
  mapper: PageMapper;
  withPingbacks: boolean;
  /** Shared by every file of the run. */
  authors: AuthorHashes;
  report: ImportReport;
  now: Date;
}

/**
 * Writes one file's items, a batch at a time, each batch in the caller's transaction. Keeps only
 * what threading across batches needs: thread keys → pages, and replies still waiting for a parent
 * that has not appeared yet (inserted at top level meanwhile, moved under it when it comes).
 */
export class ImportWriter {
  private readonly pages = new Map<string, string | null>();
  private readonly waiting = new Map<string, Array<{ id: string; page: string; sourceId: string }>>();
  /** Comments written under a reply that is still waiting (their root changes with it). */
  private readonly roots = new PendingRoots();
  private articles: NewArticleRow[] = [];
  private locks: Array<{ page: string; at: string }> = [];
  private pins: Array<{ page: string; targets: string[] }> = [];
  private bans: BanItem[] = [];
  /** Written `deleted` comments (id → page): the ones left without replies are dropped at the end. */
  readonly deleted = new Map<string, string>();
  /** Every page this file wrote to (for afterImport). */
  readonly touched = new Set<string>();

  /** Comments this file wrote, and when to refresh PostgreSQL's statistics next. */
  private written = 0;
  private analyzeAt = 0;

  constructor(private readonly options: WriterOptions) {}

  private skip(sourceId: string, reason: string, failure: boolean): void {
    this.options.report.skipped.push({ file: this.options.file, sourceId, reason, failure });
  }

  thread(item: ThreadItem): void {
    const page = this.options.mapper.page(item.url);
    this.pages.set(item.key, page);
    if (!page) return;
    if (item.closed) this.locks.push({ page, at: this.options.now.toISOString() });
    if ((item.article ?? true) && item.title) {
      const now = this.options.now.toISOString();
      this.articles.push({
        site: this.options.site,
        page_key: page,
        url: this.options.mapper.url(item.url),
        title: plainText(item.title, 500) ?? page,
        description: item.description ? htmlToText(item.description).slice(0, 1000) || null : null,
        image: null,
        section: item.section ?? null,
        tags: JSON.stringify(item.tags ?? []),
        published_at: sourceDate(item.publishedAt ?? null),
        body: null,
        published: 1,
        source: 'owner',
        created_at: now,
        updated_at: now,
      });
    }
  }

  /** Parley's own export: the article exactly as it was. */
  article(item: ArticleItem): void {
    const { site } = this.options;
    this.articles.push({ site, page_key: item.pageKey, url: item.url, title: item.title, description: item.description, image: item.image, section: item.section, tags: JSON.stringify(item.tags), published_at: item.publishedAt, body: item.body, published: item.published ? 1 : 0, source: item.source === 'discovered' ? 'discovered' : 'owner', created_at: item.createdAt, updated_at: item.updatedAt });
  }

  lock(page: string, at: string): void {
    this.locks.push({ page: this.options.mapper.url(page), at });
  }

  relatedPins(page: string, targets: string[]): void {
    this.pins.push({ page, targets });
  }

  ban(item: BanItem): void {
    this.bans.push(item);
  }

  /**
   * Turns an item into its row (no database work: done as items stream in, outside any
   * transaction), or reports why it is skipped and answers undefined.
   */
  prepare(item: CommentItem): Prepared | undefined {
    const { mapper, withPingbacks, authors, site } = this.options;
    if (!item.sourceId) {
      this.skip('(no id)', 'the item has no id', true);
      return undefined;
    }
    const page =
      item.page !== undefined ? mapper.url(item.page) : item.url !== undefined ? mapper.page(item.url) : item.threadKey !== undefined ? this.pages.get(item.threadKey) : undefined;
    if (!page) {
      this.skip(item.sourceId, item.threadKey !== undefined ? `its thread ${item.threadKey} is not in the export` : 'no page URL', true);
      return undefined;
    }
    if (item.pingback && !withPingbacks) {
      this.skip(item.sourceId, 'pingback or trackback (import them with --with-pingbacks)', false);
      return undefined;
    }
    const createdAt = sourceDate(item.createdAt);
    if (!createdAt) {
      this.skip(item.sourceId, item.createdAt === null || item.createdAt === '' ? 'no date' : `unreadable date "${item.createdAt}"`, true);
      return undefined;
    }
    const deleted = item.status === 'deleted';
    const parley = item.parley;
    // Parley's own HTML went through this sanitiser already; once more is a no-op, and keeps a hand-edited file honest.
    const html = parley && 'html' in item.content ? sanitizeCommentHtml(item.content.html).trim() : commentHtml(item.content);
    if (!html && !deleted) {
      this.skip(item.sourceId, 'nothing left to show after sanitising (empty, or markup only)', false);
      return undefined;
    }
    const id = parley?.id ?? importedId(Date.parse(createdAt));
    // A comment its author deleted comes back as a placeholder only: no name, address or words.
    const name = deleted && !parley ? null : plainName(item.authorName);
    const email = deleted && !parley ? null : plainEmail(item.authorEmail);
    const body = parley ? parley.body : deleted ? '' : 'markdown' in item.content ? item.content.markdown : htmlToText(html);
    return {
      sourceId: item.sourceId,
      parentSourceId: item.parentSourceId,
      authorUrl: deleted ? null : httpWebsite(item.authorUrl),
      depth: 0,
      row: {
        id,
        site,
        page,
        parent_id: null,
        root_id: id,
        author_name: name,
        author_email: email,
        author_email_hash: email ? authors.email(email).emailHash : null,
        author_avatar: parley ? parley.authorAvatar : email ? authors.email(email).avatar : authors.avatar(name, id),
        body,
        html: deleted && !parley ? '' : html,
        status: item.status,
        created_at: createdAt,
        updated_at: parley?.updatedAt ?? createdAt,
        edited_at: parley?.editedAt ?? null,
        deleted_at: parley ? parley.deletedAt : deleted ? createdAt : null,
        likes: Math.max(0, Math.floor(item.likes ?? 0)),
        pinned: item.pinned ? 1 : 0,
        edit_token_hash: null,
        ip_hash: null,
      },
    };
  }

  /** Writes one batch of comments (and the articles, locks, pins and bans read since the last one). */
  async write(db: Db, batch: readonly Prepared[]): Promise<void> {
    const { site, format, report } = this.options;
    const parentIds = batch.map((p) => p.parentSourceId).filter((id): id is string => id !== null);
    const known = await findImported(db, site, format, [...new Set([...batch.map((p) => p.sourceId), ...parentIds])]);
    const existingIds = format === 'parley' ? await findExistingCommentIds(db, batch.map((p) => p.row.id)) : new Map<string, string>();
    const inBatch = new Map<string, Prepared>();
    const prepared = batch.filter((p) => {
      const owner = existingIds.get(p.row.id);
      if (owner !== undefined && owner !== site) {
        // A Parley export keeps its comment ids, so its comments can live in one site only: into
        // another site they are refused by name, not counted as "already imported".
        this.skip(p.sourceId, `its id is a comment of site "${owner}": a Parley export imports into the site it came from (to copy comments to another site, export with --format disqus)`, true);
        return false;
      }
      if (known.has(p.sourceId) || owner !== undefined || inBatch.has(p.sourceId)) {
        report.unchanged++;
        return false;
      }
      inBatch.set(p.sourceId, p);
      return true;
    });
    this.thread_(prepared, inBatch, known);
    for (const p of prepared) this.roots.join(p.row.root_id, p.row.id);
    // Parents before replies (a statement's foreign keys see earlier statements only); within a
    // depth by page, then id: neighbours in the indexes go in together, which halves SQLite's work.
    // The report and the rest keep the file's order.
    const ordered = [...prepared].sort((a, b) => a.depth - b.depth || (a.row.page < b.row.page ? -1 : a.row.page > b.row.page ? 1 : a.row.id < b.row.id ? -1 : 1));
    const importedAt = this.options.now.toISOString();
    const sources: ImportSourcesTable[] = ordered.map((p) => ({ site, source: format, source_id: p.sourceId, comment_id: p.row.id, author_url: p.authorUrl, imported_at: importedAt }));
    await insertImportedComments(db, this.options.dialect, ordered.map((p) => p.row), sources);
    await this.refreshPlannerStatistics(db, ordered.length);
    for (const p of prepared) {
      const children = this.waiting.get(p.sourceId);
      if (!children) continue;
      this.waiting.delete(p.sourceId);
      for (const child of children) {
        if (child.page === p.row.page) await attachToParent(db, child.id, p.row.id, p.row.root_id, this.roots.settle(child.id, p.row.root_id));
        else report.reparented.push({ file: this.options.file, sourceId: child.sourceId, parentSourceId: p.sourceId });
      }
    }
    await this.flushExtras(db);
    for (const p of prepared) {
      report.imported++;
      bump(report.byStatus, p.row.status!);
      bump(report.byPage, p.row.page);
      this.touched.add(p.row.page);
      if (p.row.status === 'deleted') this.deleted.set(p.row.id, p.row.page);
    }
  }

  /**
   * PostgreSQL plans by its statistics, which autovacuum refreshes only now and then: tables an
   * import is filling from empty still look empty, and the look-up of known source ids then
   * filters every row of the site instead of seeking (an import of 50,000 comments took 35 s of
   * backend CPU in that one query). ANALYZE after the first batch and whenever the rows written
   * have doubled since: a handful of times, however big the file.
   */
  private async refreshPlannerStatistics(db: Db, rows: number): Promise<void> {
    if (this.options.dialect !== 'postgres' || rows === 0) return;
    this.written += rows;
    if (this.written < this.analyzeAt) return;
    this.analyzeAt = this.written * 2;
    await sql`analyze comments, import_sources`.execute(db);
  }

  /** Parents and roots: within the batch (any order), from earlier batches or runs, or not yet seen. */
  private thread_(prepared: readonly Prepared[], inBatch: Map<string, Prepared>, known: Map<string, ImportedRef>): void {
    const resolved = new Set<Prepared>();
    const resolve = (p: Prepared, path: Set<Prepared>): void => {
      if (resolved.has(p)) return;
      resolved.add(p);
      const parentSourceId = p.parentSourceId;
      if (parentSourceId === null || parentSourceId === p.sourceId) return;
      const local = inBatch.get(parentSourceId);
      if (local && !path.has(local) && local.row.page === p.row.page) {
        path.add(p);
        resolve(local, path);
        p.row.parent_id = local.row.id;
        p.row.root_id = local.row.root_id;
        p.depth = local.depth + 1;
        return;
      }
      const ref = known.get(parentSourceId);
      if (ref?.commentId && ref.page === p.row.page) {
        p.row.parent_id = ref.commentId;
        p.row.root_id = ref.rootId ?? ref.commentId;
        return;
      }
      if (ref || local) {
        // Erased since, on another page, or a loop: it cannot be shown under that parent.
        this.options.report.reparented.push({ file: this.options.file, sourceId: p.sourceId, parentSourceId });
        return;
      }
      // Not seen yet: top level for now; `write` moves it when the parent arrives, `finish` reports it if never.
      const list = this.waiting.get(parentSourceId) ?? [];
      list.push({ id: p.row.id, page: p.row.page, sourceId: p.sourceId });
      this.roots.open(p.row.id);
      this.waiting.set(parentSourceId, list);
    };
    for (const p of prepared) resolve(p, new Set());
  }

  private async flushExtras(db: Db): Promise<void> {
    const { site, report } = this.options;
    if (this.articles.length > 0) {
      const rows = this.articles;
      this.articles = [];
      if (this.options.format === 'parley') {
        await upsertArticles(db, rows);
        report.articles.added += rows.length;
      } else {
        // Articles the owner imported from feeds know more than a comment export: those are kept as they are.
        // In chunks: a Disqus export lists every thread before the first post (41,298 in a 1 GB
        // file, past SQLite's 32,766 bound parameters in one IN list).
        const have = await findExistingPageKeys(db, site, [...new Set(rows.map((r) => r.page_key))]);
        const fresh = [...new Map(rows.filter((r) => !have.has(r.page_key)).map((r) => [r.page_key, r])).values()];
        for (let start = 0; start < fresh.length; start += 100) {
          await db.insertInto('articles').values(fresh.slice(start, start + 100)).onConflict((oc) => oc.columns(['site', 'page_key']).doNothing()).execute();
        }
        report.articles.added += fresh.length;
        report.articles.known += rows.length - fresh.length;
      }
    }
    for (const lock of this.locks.splice(0)) {
      await setThreadLock(db, site, lock.page, true, lock.at);
      report.locks++;
    }
    for (const pin of this.pins.splice(0)) {
      await replacePins(db, site, pin.page, pin.targets, this.options.now.toISOString());
      report.relatedPins++;
    }
    for (const ban of this.bans.splice(0)) {
      await db
        .insertInto('bans')
        .values({ id: ban.id, site, kind: ban.banKind, value_hash: ban.valueHash, reason: ban.reason, created_at: ban.createdAt, expires_at: ban.expiresAt })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      report.bans++;
    }
  }

  /** Anything still pending (extras read after the last comment), and replies whose parent never came. */
  async finish(db: Db): Promise<void> {
    await this.flushExtras(db);
    for (const [parentSourceId, children] of this.waiting) {
      for (const child of children) this.options.report.reparented.push({ file: this.options.file, sourceId: child.sourceId, parentSourceId });
    }
    this.waiting.clear();
  }

  get hasExtras(): boolean {
    return this.articles.length + this.locks.length + this.pins.length + this.bans.length > 0;
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let pool = Buffer.alloc(0);
let at = 0;

/**
 * A ULID at the comment's original time, so ids sort like the thread. ulidx's `ulid()` asks the
 * system for one random byte per character (16 calls per id): too slow for a million comments, so
 * the random part comes from a pooled buffer (256 is a multiple of 32: every character is uniform).
 */
function importedId(ms: number): string {
  if (at + 16 > pool.length) {
    pool = randomBytes(16 * 4096);
    at = 0;
  }
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[pool[at++]! & 31];
  return encodeTime(ms, 10) + random;
}
