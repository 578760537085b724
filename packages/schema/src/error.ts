import { z } from 'zod';

/** Every error code the API answers with; clients may switch on them. */
export const ERROR_CODES = [
  'invalid_json',
  'unsupported_media_type',
  'validation_failed',
  'payload_too_large',
  'parent_not_found',
  'unauthorized',
  'forbidden',
  'edit_window_closed',
  'not_found',
  'method_not_allowed',
  'internal_error',
  // Moderation, sites and the admin console.
  'site_not_found',
  'origin_not_allowed',
  'csrf_failed',
  'rate_limited',
  'invalid_credentials',
  'banned',
  'already_flagged',
  'comment_rejected',
  'thread_locked',
  // Hardening (issue 9): outages answer 503 with Retry-After; a repeated Idempotency-Key still in flight 409.
  'storage_unavailable',
  'idempotency_conflict',
  // Security: a single-use mailed link followed a second time.
  'link_used',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorIssueSchema = z.object({
  /** Dotted path of the offending field, e.g. `author.email` or `pages.3`; empty for the whole input. */
  path: z.string(),
  message: z.string(),
});
export type ErrorIssue = z.infer<typeof ErrorIssueSchema>;

/** The one shape of every 4xx/5xx body. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    issues: z.array(ErrorIssueSchema).optional(),
    /** The request's id (also its X-Request-Id header): quote it when reporting a problem. */
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
