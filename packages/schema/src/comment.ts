import { z } from 'zod';
import {
  AUTHOR_EMAIL_MAX_LENGTH,
  AUTHOR_NAME_MAX_LENGTH,
  COMMENT_BODY_MAX_LENGTH,
  COMMENTS_PAGE_SIZE_DEFAULT,
  COMMENTS_PAGE_SIZE_MAX,
  CURSOR_MAX_LENGTH,
  READER_ID_MAX_LENGTH,
  READER_ID_MIN_LENGTH,
} from './limits.ts';
import { IdSchema, IsoDateTimeSchema, PageIdSchema, SiteIdOrDefaultSchema } from './common.ts';

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

export const NewCommentAuthorSchema = z.strictObject({
  name: z.string().trim().max(AUTHOR_NAME_MAX_LENGTH).optional(),
  /** Never shown to readers; kept for moderation and (later) notifications and avatars. */
  email: z.union([z.literal(''), z.email().max(AUTHOR_EMAIL_MAX_LENGTH)]).optional(),
});

/** The markdown a reader writes. */
export const CommentBodySchema = z.string().trim().min(1, 'must not be empty').max(COMMENT_BODY_MAX_LENGTH);

/** Body of `POST /api/comments`. */
export const NewCommentSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  page: PageIdSchema,
  parentId: IdSchema.optional(),
  author: NewCommentAuthorSchema.optional(),
  body: CommentBodySchema,
  /** The form's hidden honeypot field, sent as the form had it (people leave it empty). */
  honeypot: z.string().max(1_000).optional(),
  /**
   * How long the form was open before it was sent (ms, measured by the reader's browser alone, so a
   * wrong clock does not matter), for the site's minimum fill time. Absent: not measured.
   */
  fillMs: z.number().int().nonnegative().optional(),
  /**
   * Deprecated, ignored: when the form was shown (epoch ms on the reader's clock). Still accepted for
   * one release so older embeds keep posting; use `fillMs`.
   */
  renderedAt: z.number().int().nonnegative().optional(),
  /** With an email: mail me replies to this comment (double opt-in: a confirmation mail comes first). */
  notify: z.boolean().optional(),
  /**
   * The `authorToken` this browser was given when it last posted with this email. On a `first-time`
   * site it is what proves "approved before": an email address alone does not.
   */
  authorToken: z.string().max(200).optional(),
});
export type NewComment = z.infer<typeof NewCommentSchema>;
export type NewCommentInput = z.input<typeof NewCommentSchema>;

/** Orders of the top-level comments: `top` is most liked first, then oldest. Replies are always oldest first. */
export const COMMENT_SORTS = ['oldest', 'newest', 'top'] as const;
export const CommentSortSchema = z.enum(COMMENT_SORTS);
export type CommentSort = z.infer<typeof CommentSortSchema>;

/** An opaque pagination cursor from a previous response (`nextCursor`, `position.cursor`). */
export const CursorSchema = z.string().min(1).max(CURSOR_MAX_LENGTH);

/** `avatars=gravatar` asks for `author.gravatar` (a sha256 of the email) where the author gave an email. */
export const AvatarsOptionSchema = z.literal('gravatar');

/** Query of `GET /api/comments`. */
export const CommentsQuerySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  page: PageIdSchema,
  sort: CommentSortSchema.default('oldest'),
  cursor: CursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(COMMENTS_PAGE_SIZE_MAX).default(COMMENTS_PAGE_SIZE_DEFAULT),
  avatars: AvatarsOptionSchema.optional(),
});
export type CommentsQuery = z.infer<typeof CommentsQuerySchema>;
export type CommentsQueryInput = z.input<typeof CommentsQuerySchema>;

/** Query of `GET /api/comments/:id/replies` (a branch's descendants past the first REPLIES_PER_BRANCH_MAX). */
export const RepliesQuerySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  cursor: CursorSchema.optional(),
  avatars: AvatarsOptionSchema.optional(),
});
export type RepliesQuery = z.infer<typeof RepliesQuerySchema>;

/** Query of `GET /api/comments/:id` (permalinks). `sort` is the order `position.cursor` is for. */
export const CommentPermalinkQuerySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  sort: CommentSortSchema.default('oldest'),
  avatars: AvatarsOptionSchema.optional(),
});
export type CommentPermalinkQuery = z.infer<typeof CommentPermalinkQuerySchema>;

/** Body of `PATCH /api/comments/:id` (with the `Parley-Edit-Token` header). */
export const EditCommentSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  body: CommentBodySchema,
});
export type EditComment = z.infer<typeof EditCommentSchema>;
export type EditCommentInput = z.input<typeof EditCommentSchema>;

/** Query of `DELETE /api/comments/:id` (with the `Parley-Edit-Token` header). */
export const DeleteCommentQuerySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
});
export type DeleteCommentQuery = z.infer<typeof DeleteCommentQuerySchema>;

/** The random id a widget keeps in localStorage to like comments: 16–64 of `[A-Za-z0-9_-]`. */
export const ReaderIdSchema = z
  .string()
  .min(READER_ID_MIN_LENGTH)
  .max(READER_ID_MAX_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_" only');

/** Body of `POST /api/comments/:id/like`: `liked: false` takes the reader's like back. */
export const LikeCommentSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  readerId: ReaderIdSchema,
  liked: z.boolean(),
});
export type LikeComment = z.infer<typeof LikeCommentSchema>;
export type LikeCommentInput = z.input<typeof LikeCommentSchema>;

/** Body of `POST /api/preview`: renders like a post would, writes nothing. */
export const PreviewRequestSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  body: CommentBodySchema,
});
export type PreviewRequest = z.infer<typeof PreviewRequestSchema>;
export type PreviewRequestInput = z.input<typeof PreviewRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

export const CommentAuthorSchema = z.object({
  /** `null` when the reader left the name empty (anonymous) and on deleted placeholders. */
  name: z.string().nullable(),
  /**
   * 16 hex chars: the seed of an identicon the browser draws. HMAC-SHA256(server secret,
   * lowercased email || name || comment id), truncated; it does not reveal the email.
   */
  avatar: z.string().regex(/^[0-9a-f]{16}$/),
  /** sha256 hex of the lowercased, trimmed email; only with `avatars=gravatar` and when an email was given. */
  gravatar: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export type CommentAuthor = z.infer<typeof CommentAuthorSchema>;

/** `deleted`: a placeholder kept because the comment has replies (its `html` is '' and `author.name` null). */
export const CommentStatusSchema = z.enum(['visible', 'deleted']);
export type CommentStatus = z.infer<typeof CommentStatusSchema>;

/** A stored comment as readers see it. Never the email, never the raw body (see CommentWithSourceSchema). */
export const CommentSchema = z.object({
  id: IdSchema,
  page: z.string(),
  parentId: IdSchema.nullable(),
  author: CommentAuthorSchema,
  /** Rendered and sanitised on the server from the reader's markdown; the only HTML a widget inserts. */
  html: z.string(),
  status: CommentStatusSchema,
  createdAt: IsoDateTimeSchema,
  editedAt: IsoDateTimeSchema.nullable(),
  likes: z.number().int().nonnegative(),
  /** Every visible or placeholder descendant, at any depth. */
  replyCount: z.number().int().nonnegative(),
});
export type Comment = z.infer<typeof CommentSchema>;

/** A comment with the markdown it was written in: the response of POST and PATCH (for the edit form). */
export const CommentWithSourceSchema = CommentSchema.extend({
  body: z.string(),
});
export type CommentWithSource = z.infer<typeof CommentWithSourceSchema>;

/**
 * Response of `POST /api/comments`: 201 with `status: 'visible'` when published; 202 with
 * `status: 'pending'` and a `message` ("Your comment is waiting for approval") when it waits for a
 * moderator — it is then in no public list, count or stream until approved, so the widget keeps it
 * locally for its author. Keep `editToken` to edit or delete until `editableUntil`.
 */
export const PostedCommentSchema = CommentWithSourceSchema.extend({
  status: z.enum(['visible', 'pending']),
  /** Present when `status` is `pending`: words to show the author. */
  message: z.string().optional(),
  /** 32 random bytes, base64url. Only its SHA-256 is stored; it cannot be recovered. */
  editToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  editableUntil: IsoDateTimeSchema,
  /** With an email: the reader's proof of authorship for later posts (send it back as `authorToken`). */
  authorToken: z.string().optional(),
});
export type PostedComment = z.infer<typeof PostedCommentSchema>;

/** A comment with its replies, oldest first, to any depth. */
export type CommentNode = Comment & { replies: CommentNode[] };
export const CommentNodeSchema: z.ZodType<CommentNode> = CommentSchema.extend({
  get replies() {
    return z.array(CommentNodeSchema);
  },
});

/** Response of `GET /api/comments`. */
export const CommentThreadSchema = z.object({
  site: z.string(),
  page: z.string(),
  sort: CommentSortSchema,
  /** Every visible comment on the page, replies included (not deleted placeholders). */
  total: z.number().int().nonnegative(),
  /**
   * One page of top-level comments in `sort` order, each with up to REPLIES_PER_BRANCH_MAX
   * descendants nested in `replies` (oldest first). A comment whose `replyCount` is more than the
   * replies sent has the rest at `GET /api/comments/:id/replies`.
   */
  comments: z.array(CommentNodeSchema),
  /** Pass as `cursor` (same `sort`) for the next page; `null` on the last page. */
  nextCursor: z.string().nullable(),
});
export type CommentThread = z.infer<typeof CommentThreadSchema>;

/** Response of `GET /api/comments/:id/replies`: descendants of `:id`, oldest first, nested. */
export const RepliesResponseSchema = z.object({
  /** Children of `:id` (nested); a page holds up to REPLIES_PER_BRANCH_MAX descendants. */
  comments: z.array(CommentNodeSchema),
  nextCursor: z.string().nullable(),
});
export type RepliesResponse = z.infer<typeof RepliesResponseSchema>;

/** Response of `GET /api/comments/:id` for permalinks. */
export const CommentPermalinkSchema = z.object({
  /** The top-level ancestor of `:id` (or `:id` itself) with its replies, `:id` among them. */
  comment: CommentNodeSchema,
  page: z.string(),
  position: z.object({
    /**
     * `GET /api/comments?sort=…&cursor=` with this cursor returns a page that starts with this
     * branch; `null` when the branch is the first one (no cursor needed).
     */
    cursor: z.string().nullable(),
  }),
});
export type CommentPermalink = z.infer<typeof CommentPermalinkSchema>;

/** Response of `DELETE /api/comments/:id`: `deleted` left a placeholder (it has replies), `removed` is gone. */
export const DeleteCommentResultSchema = z.object({
  id: IdSchema,
  status: z.enum(['deleted', 'removed']),
});
export type DeleteCommentResult = z.infer<typeof DeleteCommentResultSchema>;

/** Response of `POST /api/comments/:id/like`. */
export const LikeResultSchema = z.object({
  id: IdSchema,
  likes: z.number().int().nonnegative(),
  /** Whether this reader now likes it (true even when the per-IP cap kept it out of `likes`). */
  liked: z.boolean(),
});
export type LikeResult = z.infer<typeof LikeResultSchema>;

/** Response of `POST /api/preview`. */
export const PreviewResponseSchema = z.object({
  html: z.string(),
});
export type PreviewResponse = z.infer<typeof PreviewResponseSchema>;
