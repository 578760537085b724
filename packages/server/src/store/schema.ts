import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Tables as stored: snake_case columns, portable types only.
 * Timestamps are ISO-8601 UTC text (`2026-11-27T20:43:21.123Z`), so they sort as text everywhere.
 * Repositories translate to camelCase; nothing outside `store/` sees these names.
 */
export interface Database {
  comments: CommentsTable;
  articles: ArticlesTable;
  comment_likes: CommentLikesTable;
  comment_events: CommentEventsTable;
  settings: SettingsTable;
}

/**
 * `visible`: published; `deleted`: a placeholder kept for its replies (shown as such); `pending`: waits
 * for a moderator; `spam`: held by a spam rule; `rejected`: a moderator turned it down (kept, hidden).
 * Readers see only `visible` and `deleted`.
 */
export type CommentStatus = 'visible' | 'pending' | 'spam' | 'deleted' | 'rejected';

export interface CommentsTable {
  id: string;
  site: string;
  page: string;
  parent_id: string | null;
  author_name: string | null;
  author_email: string | null;
  body: string;
  status: CommentStatus;
  created_at: string;
  updated_at: string;
  // 0002: rendered html, editing, likes, avatars.
  /** Sanitised HTML rendered from `body` at write time. */
  html: Generated<string>;
  /** The top-level ancestor (itself for a top-level comment): branch reads are one index range. */
  root_id: string | null;
  /** SHA-256 hex of the edit token handed to the author; the token itself is never stored. */
  edit_token_hash: string | null;
  edited_at: string | null;
  deleted_at: string | null;
  /** Counted likes (see comment_likes.counted). */
  likes: Generated<number>;
  /** Salted hash of the poster's IP, for moderation; never the raw address. */
  ip_hash: string | null;
  /** 16-hex identicon seed: HMAC(secret, email || name || id). */
  author_avatar: string | null;
  /** sha256 hex of the lowercased trimmed email, for Gravatar. */
  author_email_hash: string | null;
}

export interface CommentLikesTable {
  comment_id: string;
  reader_hash: string;
  ip_hash: string;
  /** 1 when part of comments.likes; 0 when over the per-IP cap. */
  counted: number;
  created_at: string;
}

export interface CommentEventsTable {
  /** ULID: events sort by id. */
  id: string;
  site: string;
  page: string;
  type: string;
  comment_id: string;
  /** JSON of the SSE `data`. */
  payload: string;
  created_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface ArticlesTable {
  site: string;
  page_key: string;
  url: string;
  title: string;
  description: string | null;
  image: string | null;
  section: string | null;
  /** JSON array of strings. */
  tags: string;
  published_at: string | null;
  body: string | null;
  created_at: string;
  updated_at: string;
}

export type CommentRow = Selectable<CommentsTable>;
export type NewCommentRow = Insertable<CommentsTable>;
export type ArticleRow = Selectable<ArticlesTable>;
export type NewArticleRow = Insertable<ArticlesTable>;
export type ArticleUpdate = Updateable<ArticlesTable>;
export type CommentLikeRow = Selectable<CommentLikesTable>;
export type CommentEventRow = Selectable<CommentEventsTable>;
export type NewCommentEventRow = Insertable<CommentEventsTable>;
