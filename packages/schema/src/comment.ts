import { z } from 'zod';
import { AUTHOR_EMAIL_MAX_LENGTH, AUTHOR_NAME_MAX_LENGTH, COMMENT_BODY_MAX_LENGTH } from './limits.ts';
import { IdSchema, IsoDateTimeSchema, PageIdSchema, SiteIdOrDefaultSchema } from './common.ts';

export const NewCommentAuthorSchema = z.strictObject({
  name: z.string().trim().max(AUTHOR_NAME_MAX_LENGTH).optional(),
  /** Never shown to readers; kept for moderation and (later) notifications and avatars. */
  email: z.union([z.literal(''), z.email().max(AUTHOR_EMAIL_MAX_LENGTH)]).optional(),
});

/** Body of `POST /api/comments`. */
export const NewCommentSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  page: PageIdSchema,
  parentId: IdSchema.optional(),
  author: NewCommentAuthorSchema.optional(),
  body: z.string().trim().min(1, 'must not be empty').max(COMMENT_BODY_MAX_LENGTH),
});
export type NewComment = z.infer<typeof NewCommentSchema>;
export type NewCommentInput = z.input<typeof NewCommentSchema>;

/** Query of `GET /api/comments`. */
export const CommentsQuerySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  page: PageIdSchema,
});
export type CommentsQuery = z.infer<typeof CommentsQuerySchema>;

export const CommentAuthorSchema = z.object({
  /** `null` when the reader left the name empty: widgets show it as anonymous. */
  name: z.string().nullable(),
});

/** A stored comment as readers see it. The email is never part of it. */
export const CommentSchema = z.object({
  id: IdSchema,
  page: z.string(),
  parentId: IdSchema.nullable(),
  author: CommentAuthorSchema,
  /** The raw text the reader wrote; widgets render it as text, never as HTML. */
  body: z.string(),
  createdAt: IsoDateTimeSchema,
});
export type Comment = z.infer<typeof CommentSchema>;

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
  /** Every visible comment on the page, replies included. */
  total: z.number().int().nonnegative(),
  /** Top-level comments, oldest first, each with its replies. */
  comments: z.array(CommentNodeSchema),
});
export type CommentThread = z.infer<typeof CommentThreadSchema>;
