import { z } from 'zod';
import { AvatarsOptionSchema, CommentSchema, DeleteCommentResultSchema } from './comment.ts';
import { PageIdSchema, SiteIdOrDefaultSchema } from './common.ts';

/**
 * Query of `GET /api/stream` (Server-Sent Events). `lastEventId` is for clients that cannot set the
 * `Last-Event-ID` header; the header wins when both are sent.
 */
export const StreamQuerySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  page: PageIdSchema,
  lastEventId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'not a valid event id').optional(),
  /** As on `GET /api/comments`: include `author.gravatar` in comment events. */
  avatars: AvatarsOptionSchema.optional(),
});
export type StreamQuery = z.infer<typeof StreamQuerySchema>;

/** SSE `event:` names. Each event's SSE `id:` is a sortable ULID; `data:` is JSON as below. */
export const STREAM_EVENT_TYPES = ['comment.created', 'comment.updated', 'comment.deleted'] as const;
export const StreamEventTypeSchema = z.enum(STREAM_EVENT_TYPES);
export type StreamEventType = z.infer<typeof StreamEventTypeSchema>;

/** `data` of `comment.created` and `comment.updated`: the Comment DTO (no `body`, no `replies`). */
export const CommentChangedEventDataSchema = CommentSchema;
/** `data` of `comment.deleted`: `deleted` = now a placeholder (has replies), `removed` = gone. */
export const CommentDeletedEventDataSchema = DeleteCommentResultSchema;
export type CommentDeletedEventData = z.infer<typeof CommentDeletedEventDataSchema>;
