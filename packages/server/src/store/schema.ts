import type { Insertable, Selectable, Updateable } from 'kysely';

/**
 * Tables as stored: snake_case columns, portable types only.
 * Timestamps are ISO-8601 UTC text (`2026-11-27T20:43:21.123Z`), so they sort as text everywhere.
 * Repositories translate to camelCase; nothing outside `store/` sees these names.
 */
export interface Database {
  comments: CommentsTable;
  articles: ArticlesTable;
}

/** Later issues add 'pending', 'spam' and 'deleted'. */
export type CommentStatus = 'visible' | 'pending' | 'spam' | 'deleted';

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
