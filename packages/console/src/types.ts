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
} from '@parley/schema';

/** One row of `GET /api/admin/webhooks/deliveries`. */
export interface WebhookDelivery {
  id: string;
  url: string;
  event: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}
