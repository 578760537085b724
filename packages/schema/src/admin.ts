import { z } from 'zod';
import { DeleteCommentResultSchema, CommentBodySchema } from './comment.ts';
import { IdSchema, IsoDateTimeSchema, PageIdSchema, SiteIdOrDefaultSchema } from './common.ts';
import { BanKindSchema, BanSchema, PrivacyRequestKindSchema } from './moderation.ts';
import { ModerationModeSchema } from './site.ts';

export const ADMIN_PASSWORD_MIN_LENGTH = 12;
export const ADMIN_PASSWORD_MAX_LENGTH = 1_024;

/** `POST /api/admin/login`. Lengths are checked loosely here: the answer to a wrong password is the same either way. */
export const AdminLoginSchema = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(ADMIN_PASSWORD_MAX_LENGTH),
});
export type AdminLogin = z.infer<typeof AdminLoginSchema>;

/** `owner`: every site, settings and accounts; `moderator`: the queues, actions, stats, bans, webhook log and exports of `sites` only. */
export const ADMIN_ROLES = ['owner', 'moderator'] as const;
export const AdminRoleSchema = z.enum(ADMIN_ROLES);
export type AdminRole = z.infer<typeof AdminRoleSchema>;

export const AdminSchema = z.object({
  id: IdSchema,
  email: z.string(),
  createdAt: IsoDateTimeSchema,
  role: AdminRoleSchema,
  /** The sites a moderator may moderate (empty for an owner, who has them all). */
  sites: z.array(z.string()),
});
export type Admin = z.infer<typeof AdminSchema>;

/** Answer to a login: the session cookie is set; send `csrfToken` as `X-CSRF-Token` on every state-changing request. */
export const AdminSessionSchema = z.object({
  admin: AdminSchema,
  csrfToken: z.string().min(32),
  expiresAt: IsoDateTimeSchema,
});
export type AdminSession = z.infer<typeof AdminSessionSchema>;

/** `GET /api/admin/me`: who is calling, and how. Bearer-token callers have no admin record and no CSRF token. */
export const AdminMeSchema = z.discriminatedUnion('via', [
  z.object({ via: z.literal('session'), admin: AdminSchema, csrfToken: z.string() }),
  z.object({ via: z.literal('token') }),
]);
export type AdminMe = z.infer<typeof AdminMeSchema>;

// ---------------------------------------------------------------------------------------------
// Moderation console API (issue 4). Every endpoint below takes the bearer token OR the session
// cookie + X-CSRF-Token on state-changing requests.
// ---------------------------------------------------------------------------------------------

/**
 * Every status a stored comment can have. Readers see `visible` comments and `deleted` placeholders
 * (kept because they have replies; text and author erased). `pending` waits for a moderator, `spam`
 * was held by a spam rule (or marked so), `rejected` was turned down by a moderator (kept, hidden).
 */
export const ADMIN_COMMENT_STATUSES = ['visible', 'pending', 'spam', 'rejected', 'deleted'] as const;
export const AdminCommentStatusSchema = z.enum(ADMIN_COMMENT_STATUSES);
export type AdminCommentStatus = z.infer<typeof AdminCommentStatusSchema>;

/** Queues of `GET /api/admin/comments`: a status, `flagged` (at least the site's `flagsToQueue` flags, not deleted) or `all`. */
export const ADMIN_COMMENT_QUEUES = ['pending', 'flagged', 'spam', 'visible', 'rejected', 'deleted', 'all'] as const;
export const AdminCommentQueueSchema = z.enum(ADMIN_COMMENT_QUEUES);
export type AdminCommentQueue = z.infer<typeof AdminCommentQueueSchema>;

export const ADMIN_COMMENTS_PAGE_SIZE_DEFAULT = 50;
export const ADMIN_COMMENTS_PAGE_SIZE_MAX = 200;

/** Query of `GET /api/admin/comments`: newest first. */
export const AdminCommentsQuerySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  status: AdminCommentQueueSchema.default('pending'),
  /** Words in the body (case-insensitive substring). */
  q: z.string().trim().min(1).max(200).optional(),
  /** Author name or email (case-insensitive substring). */
  author: z.string().trim().min(1).max(254).optional(),
  /** Exactly this page id. */
  page: PageIdSchema.optional(),
  /** `nextCursor` of the previous response. */
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(ADMIN_COMMENTS_PAGE_SIZE_MAX).default(ADMIN_COMMENTS_PAGE_SIZE_DEFAULT),
});
export type AdminCommentsQuery = z.infer<typeof AdminCommentsQuerySchema>;
export type AdminCommentsQueryInput = z.input<typeof AdminCommentsQuerySchema>;

/** A comment as moderators see it: the raw markdown, the email, the moderation state. */
export const AdminCommentSchema = z.object({
  id: IdSchema,
  site: z.string(),
  page: z.string(),
  parentId: IdSchema.nullable(),
  status: AdminCommentStatusSchema,
  author: z.object({ name: z.string().nullable(), email: z.string().nullable() }),
  /** The markdown as written (empty for a deleted placeholder). */
  body: z.string(),
  /** The sanitised HTML readers see; safe to insert. */
  html: z.string(),
  createdAt: IsoDateTimeSchema,
  editedAt: IsoDateTimeSchema.nullable(),
  likes: z.number().int().nonnegative(),
  /** Reader flags on this comment. */
  flags: z.number().int().nonnegative(),
  /** Pinned comments sort first in public lists. */
  pinned: z.boolean(),
  /** First 12 hex chars of the salted IP hash: enough to spot one source, not to reverse it. `null` when unknown. */
  ipHash: z.string().nullable(),
});
export type AdminComment = z.infer<typeof AdminCommentSchema>;

/** Response of `GET /api/admin/comments`. */
export const AdminCommentsResponseSchema = z.object({
  comments: z.array(AdminCommentSchema),
  /** Pass as `cursor` (same filters) for the next page; `null` on the last page. */
  nextCursor: z.string().nullable(),
});
export type AdminCommentsResponse = z.infer<typeof AdminCommentsResponseSchema>;

/**
 * `POST /api/admin/comments/:id/{approve|reject|spam|restore|pin|unpin}` — no body; answers the
 * updated AdminComment (200).
 * - approve: pending/spam/rejected → visible (published live: SSE `comment.created`, `comment.approved`
 *   webhook); on a visible comment it clears its flags (it leaves the flagged queue).
 * - reject: pending/spam/visible → rejected (hidden, kept; a visible one disappears live, `comment.deleted`).
 * - spam: pending/visible/rejected → spam (hidden likewise).
 * - restore: rejected/spam → visible (as approve).
 * - pin/unpin: a visible top-level comment; pinned ones sort first in public lists.
 * A deleted placeholder accepts none of these (400 `validation_failed`).
 */
export const ADMIN_COMMENT_ACTIONS = ['approve', 'reject', 'spam', 'restore', 'pin', 'unpin'] as const;
export const AdminCommentActionSchema = z.enum(ADMIN_COMMENT_ACTIONS);
export type AdminCommentAction = z.infer<typeof AdminCommentActionSchema>;

/** Body of `PATCH /api/admin/comments/:id`: new markdown (the HTML is rendered again). Answers the AdminComment. */
export const AdminEditCommentSchema = z.strictObject({
  body: CommentBodySchema,
});
export type AdminEditComment = z.infer<typeof AdminEditCommentSchema>;

/** Response of `DELETE /api/admin/comments/:id` (erases it for good, as its author can): `deleted` left a placeholder (it has replies), `removed` is gone. */
export const AdminDeleteResultSchema = DeleteCommentResultSchema;
export type AdminDeleteResult = z.infer<typeof AdminDeleteResultSchema>;

/** Body of `POST /api/admin/comments/:id/ban`: bans the comment's author by email hash or IP hash. Answers the Ban (201). */
export const AdminBanFromCommentSchema = z.strictObject({
  by: BanKindSchema,
  /** Omitted: permanent. */
  durationHours: z.number().int().min(1).max(10 * 365 * 24).optional(),
  reason: z.string().trim().max(500).optional(),
});
export type AdminBanFromComment = z.infer<typeof AdminBanFromCommentSchema>;

/** Body of `PUT /api/admin/threads`: lock (no new comments or replies: 403 `thread_locked`) or unlock a page. Answers the AdminThread. */
export const AdminThreadLockSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  page: PageIdSchema,
  locked: z.boolean(),
});
export type AdminThreadLock = z.infer<typeof AdminThreadLockSchema>;

export const AdminThreadSchema = z.object({
  site: z.string(),
  page: z.string(),
  locked: z.boolean(),
  /** When it was locked; `null` when unlocked. */
  lockedAt: IsoDateTimeSchema.nullable(),
});
export type AdminThread = z.infer<typeof AdminThreadSchema>;

/** Query of `GET /api/admin/threads` (locked threads of the site; `locked=true` is the default and the only list kept). */
export const AdminThreadsQuerySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  locked: z.enum(['true']).default('true'),
});
export type AdminThreadsQuery = z.infer<typeof AdminThreadsQuerySchema>;

export const AdminThreadsResponseSchema = z.object({
  threads: z.array(AdminThreadSchema),
});
export type AdminThreadsResponse = z.infer<typeof AdminThreadsResponseSchema>;

/** Query of `GET /api/admin/stats`. */
export const AdminStatsQuerySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  days: z.coerce.number().int().min(1).max(365).default(30),
});
export type AdminStatsQuery = z.infer<typeof AdminStatsQuerySchema>;

/** Response of `GET /api/admin/stats`. */
export const AdminStatsSchema = z.object({
  /** Comments of the site now, by status; `flagged`: comments in the flagged queue. */
  totals: z.object({
    visible: z.number().int().nonnegative(),
    pending: z.number().int().nonnegative(),
    spam: z.number().int().nonnegative(),
    flagged: z.number().int().nonnegative(),
  }),
  /** New comments (any status) per UTC day over the last `days` days, oldest first; days without comments count 0. */
  perDay: z.array(z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), count: z.number().int().nonnegative() })),
  /** Pages with the most visible comments in the period, most first (up to 10); `title` from the imported articles. */
  mostDiscussed: z.array(z.object({ page: z.string(), title: z.string().nullable(), count: z.number().int().nonnegative() })),
});
export type AdminStats = z.infer<typeof AdminStatsSchema>;

/** Response of `GET /api/admin/sites`: the sites this admin can moderate. */
export const AdminSitesResponseSchema = z.object({
  sites: z.array(z.object({ id: z.string(), moderation: ModerationModeSchema })),
});
export type AdminSitesResponse = z.infer<typeof AdminSitesResponseSchema>;

/** Body of `POST /api/admin/privacy`: export or delete every comment of an email on a site, at once (no mail round trip). */
export const AdminPrivacySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  email: z.email().max(254),
  kind: PrivacyRequestKindSchema,
});
export type AdminPrivacy = z.infer<typeof AdminPrivacySchema>;

/** Most comments one `POST /api/admin/comments/bulk` may name (one queue page at its largest). */
export const ADMIN_BULK_MAX_IDS = ADMIN_COMMENTS_PAGE_SIZE_MAX;
export const ADMIN_BULK_ACTIONS = ['approve', 'reject', 'spam', 'delete', 'restore'] as const;
export const AdminBulkActionSchema = z.enum(ADMIN_BULK_ACTIONS);
export type AdminBulkAction = z.infer<typeof AdminBulkActionSchema>;

/**
 * Body of `POST /api/admin/comments/bulk`: one action on up to 200 comments of a site, each applied
 * exactly as the single-comment action would be (same transitions, SSE events and webhooks; `delete`
 * as `DELETE /api/admin/comments/:id`). A repeated id is acted on once. Answers AdminBulkResult (200)
 * even when some items fail; bad input as a whole is a 400.
 */
export const AdminBulkSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  ids: z.array(IdSchema).min(1).max(ADMIN_BULK_MAX_IDS),
  action: AdminBulkActionSchema,
});
export type AdminBulk = z.infer<typeof AdminBulkSchema>;

/** One item of the bulk answer, in the order of `ids`: `status` is the comment's status afterwards (`removed`: gone); `error` why it was not done. */
export const AdminBulkItemSchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  status: z.enum([...ADMIN_COMMENT_STATUSES, 'removed']).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type AdminBulkItem = z.infer<typeof AdminBulkItemSchema>;

/** Response of `POST /api/admin/comments/bulk`. */
export const AdminBulkResultSchema = z.object({
  results: z.array(AdminBulkItemSchema),
});
export type AdminBulkResult = z.infer<typeof AdminBulkResultSchema>;

/** The query of the admin lists kept per site (`GET /api/admin/bans`, `/flags`, `/webhooks/deliveries`). */
export const SiteQuerySchema = z.object({ site: SiteIdOrDefaultSchema });
export type SiteQuery = z.input<typeof SiteQuerySchema>;

/** Response of `GET /api/admin/bans`. */
export const BansResponseSchema = z.object({ items: z.array(BanSchema) });
export type BansResponse = z.infer<typeof BansResponseSchema>;

/** One row of `GET /api/admin/webhooks/deliveries`. Times as the store keeps them. */
export const WebhookDeliverySchema = z.object({
  id: z.string(),
  url: z.string(),
  event: z.string(),
  status: z.string(),
  attempts: z.number().int().nonnegative(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

/** Response of `GET /api/admin/webhooks/deliveries`. */
export const WebhookDeliveriesResponseSchema = z.object({ items: z.array(WebhookDeliverySchema) });
export type WebhookDeliveriesResponse = z.infer<typeof WebhookDeliveriesResponseSchema>;

/** The path of `POST /api/admin/comments/{id}/{action}`. */
export const AdminCommentActionParamsSchema = z.object({ id: IdSchema, action: AdminCommentActionSchema });
