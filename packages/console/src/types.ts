/**
 * The shapes the console reads from `/api/admin/*`, from the API contract. Types only: the bundle
 * never imports zod.
 */
export type {
  AdminBulkAction,
  AdminBulkResult,
  AdminComment,
  AdminCommentAction as ModerationAction,
  AdminCommentQueue as QueueStatus,
  AdminCommentsResponse as AdminCommentPage,
  AdminMe,
  AdminSession,
  AdminSitesResponse,
  AdminStats,
  AdminThread,
  AdminThreadsResponse,
  Ban,
  BanKind,
  PrivacyRequestKind,
  PrivacyResult,
  RelatedClicksResponse,
  RelatedFeedbackResponse,
  WebhookDelivery,
} from '@parley/schema';
