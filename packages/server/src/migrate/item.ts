/**
 * The normalised items every format parser yields and the importer writes. Parsers only read and
 * translate names; every rule (dates, statuses, sanitising, threading, page keys) lives in the importer,
 * so each format gets exactly the same treatment.
 */
import type { ArticleDocument } from '../recommend/recommender.ts';

export const IMPORT_FORMATS = ['disqus', 'wordpress', 'isso', 'remark42', 'commento', 'parley'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Parley's statuses an import can produce; `deleted` ones are kept only as placeholders of their replies. */
export type ImportedStatus = 'visible' | 'pending' | 'spam' | 'deleted' | 'rejected';

/** A page of the old system: where its comments go, and the article it describes. */
export interface ThreadItem {
  kind: 'thread';
  /** The source's own id for the thread (Disqus `dsq:id`, WordPress post id…), which comments refer to. */
  key: string;
  /** The page's URL (absolute or a path); its path becomes the page key. */
  url: string;
  title?: string | null | undefined;
  /** Raw date text as the source wrote it. */
  publishedAt?: string | null | undefined;
  tags?: string[] | undefined;
  section?: string | null | undefined;
  description?: string | null | undefined;
  /** Closed to new comments (Disqus `isClosed`, WordPress `comment_status` closed, Remark42 `read_only`). */
  closed?: boolean | undefined;
  /** Whether it should become an article ("You may also like"); defaults to having a title. */
  article?: boolean | undefined;
}

export type CommentContent = { html: string } | { markdown: string };

export interface CommentItem {
  kind: 'comment';
  /** The source's id for the comment: with the format, what makes a repeat import a no-op. */
  sourceId: string;
  /** Either the thread it belongs to (a ThreadItem's key)… */
  threadKey?: string | undefined;
  /** …or the page's URL or path directly (its path becomes the page key)… */
  url?: string | undefined;
  /** …or, from Parley's own export, the page key exactly as stored. */
  page?: string | undefined;
  parentSourceId: string | null;
  authorName: string | null;
  authorEmail: string | null;
  authorUrl: string | null;
  content: CommentContent;
  /** Raw date text (or epoch seconds) as the source wrote it; missing or unreadable → skipped. */
  createdAt: string | number | null;
  status: ImportedStatus;
  /** A pingback or trackback (WordPress): skipped unless asked for. */
  pingback?: boolean | undefined;
  likes?: number | undefined;
  pinned?: boolean | undefined;
  /** Parley's own export only: the stored row, kept as it was (ids, avatar seed, source markdown…). */
  parley?: ParleyCommentExtra | undefined;
}

export interface ParleyCommentExtra {
  id: string;
  body: string;
  authorAvatar: string | null;
  updatedAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

/** An article as Parley's export carries it: the recommender's document, plus where it came from and when. */
export type ArticleFields = Required<ArticleDocument> & { source: string; createdAt: string; updatedAt: string };

/** Parley's own export carries more than comments: these restore the rest of a site. */
export interface ArticleItem extends ArticleFields {
  kind: 'article';
}

export interface LockItem {
  kind: 'lock';
  page: string;
  lockedAt: string;
}

export interface PinsItem {
  kind: 'related-pins';
  page: string;
  targets: string[];
}

export interface BanItem {
  kind: 'ban';
  id: string;
  banKind: 'email' | 'ip';
  valueHash: string;
  reason: string | null;
  createdAt: string;
  expiresAt: string | null;
}

/** Something the parser could not read as an item at all (a malformed line); reported, not fatal. */
export interface ProblemItem {
  kind: 'problem';
  sourceId: string;
  reason: string;
}

export type ImportItem = ThreadItem | CommentItem | ArticleItem | LockItem | PinsItem | BanItem | ProblemItem;

/** Where a parser reads from; `bytesRead` lets the importer draw progress. */
export interface ImportInput {
  path: string;
  /** Updated by the reader as it consumes the file (compressed bytes for .gz). */
  progress: { bytesRead: number; totalBytes: number };
}

export type FormatParser = (input: ImportInput) => AsyncIterable<ImportItem>;
