/**
 * Plain numbers shared by the server (validation) and the widgets (native form constraints).
 * No zod here: the browser bundle imports this file.
 */

/** The site used when a widget or request names none. */
export const DEFAULT_SITE = 'default';

export const SITE_ID_MAX_LENGTH = 64;
/** Page identifiers are paths or short keys; a full URL fits comfortably too. */
export const PAGE_ID_MAX_LENGTH = 1_000;

export const COMMENT_BODY_MAX_LENGTH = 10_000;
export const AUTHOR_NAME_MAX_LENGTH = 80;
export const AUTHOR_EMAIL_MAX_LENGTH = 254;

/** How many pages one `POST /api/counts` may ask about (one request for every badge on a page). */
export const COUNT_PAGES_MAX = 200;

export const RELATED_LIMIT_DEFAULT = 4;
export const RELATED_LIMIT_MAX = 20;

export const ARTICLE_URL_MAX_LENGTH = 2_000;
export const ARTICLE_TITLE_MAX_LENGTH = 300;
export const ARTICLE_DESCRIPTION_MAX_LENGTH = 2_000;
export const ARTICLE_BODY_MAX_LENGTH = 200_000;
export const ARTICLE_TAGS_MAX = 30;
export const ARTICLE_TAG_MAX_LENGTH = 60;
export const ARTICLES_PER_REQUEST_MAX = 1_000;

/** Bytes of request body accepted by the public write endpoints. */
export const PUBLIC_REQUEST_MAX_BYTES = 64 * 1024;
/** Bytes accepted by the admin article import. */
export const ADMIN_REQUEST_MAX_BYTES = 16 * 1024 * 1024;
