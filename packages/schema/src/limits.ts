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

/** Top-level comments per `GET /api/comments` page: default and most a request may ask for. */
export const COMMENTS_PAGE_SIZE_DEFAULT = 20;
export const COMMENTS_PAGE_SIZE_MAX = 50;
/** Descendants of one top-level comment sent with a page; more come from `GET /api/comments/:id/replies`. */
export const REPLIES_PER_BRANCH_MAX = 100;
/** Longest opaque cursor the API accepts. */
export const CURSOR_MAX_LENGTH = 512;

/** Header that carries the edit token returned by `POST /api/comments`. */
export const EDIT_TOKEN_HEADER = 'Parley-Edit-Token';
/** How long after posting a comment can be edited or deleted, unless the server sets `PARLEY_EDIT_WINDOW_SECONDS`. */
export const EDIT_WINDOW_SECONDS_DEFAULT = 900;

/** The random reader id the widget keeps in localStorage for likes. */
export const READER_ID_MIN_LENGTH = 16;
export const READER_ID_MAX_LENGTH = 64;
/**
 * Likes counted per client-IP hash per comment. Beyond it a like is accepted (idempotently, the
 * reader sees it as liked) but not added to the count: many "readers" behind one address can't
 * inflate a comment past this.
 */
export const LIKES_PER_IP_PER_COMMENT = 3;

/** Server-Sent Events heartbeat, in seconds. */
export const STREAM_HEARTBEAT_SECONDS = 25;

/** Editors' picks per page for "You may also like". */
export const RELATED_PINS_MAX = 10;

/** Why a reader reports a comment (`POST /api/comments/:id/flag`), in the order the widget lists them. */
export const FLAG_REASONS = ['spam', 'abuse', 'off-topic', 'personal-data', 'other'] as const;
/** Longest free-text detail a reader may add to a report. */
export const FLAG_REASON_DETAIL_MAX_LENGTH = 500;
