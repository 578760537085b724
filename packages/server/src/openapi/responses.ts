import { z } from 'zod';
import * as s from '@parley/schema';

/** A documented answer: a JSON schema from @parley/schema, or a media type for non-JSON bodies. */
export type ResponseDoc = { description: string; schema?: z.ZodType; mediaType?: string };

const json = (description: string, schema?: z.ZodType): ResponseDoc => ({ description, ...(schema ? { schema } : {}) });
const empty = (description: string): ResponseDoc => ({ description, mediaType: 'none' });
const HealthSchema = z.object({ status: z.literal('ok') });

/**
 * The success answers of each route (`METHOD /path` as Hono spells it), with the schema the body
 * follows. Errors are documented once for all routes (ErrorBodySchema). A route missing here is
 * still documented (from its validators), with an undescribed JSON answer.
 */
export const RESPONSES: Record<string, Record<number, ResponseDoc>> = {
  'GET /healthz': { 200: json('The database answers', HealthSchema) },
  'GET /readyz': { 200: json('Every dependency answers', z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.string()) })) },
  'GET /chunks/:file': { 200: { description: 'Code the bundle loads later (content-hashed name)', mediaType: 'text/javascript' }, 304: empty('Not modified') },
  'POST /api/related/impressions': { 204: empty('Recorded') },
  'GET /api/admin/related/feedback': { 200: json('Click-through by position and by article', s.RelatedFeedbackResponseSchema) },
  'POST /api/admin/import': { 200: { description: 'NDJSON: progress lines, then the report', mediaType: 'application/x-ndjson' } },
  'GET /api/admin/export': { 200: { description: 'The site as Parley JSON Lines, or Disqus XML', mediaType: 'application/octet-stream' } },
  'GET /render/comments': { 200: { description: 'The <parley-comments> element with its first screen and JSON-LD', mediaType: 'text/html' }, 304: empty('Not modified') },
  'GET /render/related': { 200: { description: 'The <parley-related> element with its cards', mediaType: 'text/html' }, 304: empty('Not modified') },
  'POST /render/comments': { 303: empty('Published: back to the page at the comment'), 200: { description: 'Held for approval (a page saying so)', mediaType: 'text/html' } },
  'GET /metrics': { 200: { description: 'Prometheus text format', mediaType: 'text/plain' } },
  'GET /embed.js': { 200: { description: 'The widgets bundle (ES module)', mediaType: 'text/javascript' }, 304: empty('Not modified (If-None-Match)') },
  'GET /i18n/:file': { 200: { description: 'A language chunk of the bundle', mediaType: 'text/javascript' }, 304: empty('Not modified') },
  'GET /admin/assets/:file': { 200: { description: 'A console asset', mediaType: 'application/octet-stream' } },
  'GET /admin/*': { 200: { description: 'The console page', mediaType: 'text/html' } },
  'GET /api/openapi.json': { 200: json('This document') },
  'GET /api/docs': { 200: { description: 'The interactive API reference', mediaType: 'text/html' } },
  'GET /api/comments': { 200: json('One page of the thread', s.CommentThreadSchema) },
  'POST /api/comments': { 201: json('Published', s.PostedCommentSchema), 202: json('Held for moderation', s.PostedCommentSchema) },
  'GET /api/comments/:id': { 200: json('The comment\'s branch and where it is', s.CommentPermalinkSchema) },
  'GET /api/comments/:id/replies': { 200: json('The rest of a branch', s.RepliesResponseSchema) },
  'PATCH /api/comments/:id': { 200: json('Edited', s.CommentWithSourceSchema), 202: json('Edited, back in moderation', s.CommentWithSourceSchema) },
  'DELETE /api/comments/:id': { 200: json('Deleted', s.DeleteCommentResultSchema) },
  'POST /api/comments/:id/like': { 200: json('The like count', s.LikeResultSchema) },
  'POST /api/comments/:id/flag': { 201: json('Flag recorded', s.FlagResultSchema) },
  'POST /api/preview': { 200: json('Rendered as a post would be', s.PreviewResponseSchema) },
  'POST /api/counts': { 200: json('Counts by page', s.CountsResponseSchema) },
  'GET /api/stream': { 200: { description: 'Server-Sent Events for one page', mediaType: 'text/event-stream' } },
  'GET /api/sites/:id': { 200: json('Public settings of a site', s.SitePublicSettingsSchema) },
  'GET /api/related': { 200: json('Related articles', s.RelatedResponseSchema) },
  'POST /api/related/click': { 204: empty('Recorded') },
  'PUT /api/related/pins': { 200: json('The pins', s.RelatedPinsSchema) },
  'GET /api/admin/related/clicks': { 200: json('Clicks per article', s.RelatedClicksResponseSchema) },
  'POST /api/articles/discover': { 200: json('Discovery result', s.ArticleDiscoverResultSchema) },
  'PUT /api/articles': { 200: json('Upserted, all or nothing', s.ArticlesUpsertResultSchema) },
  'DELETE /api/articles': { 200: json('Deleted', s.ArticleDeleteResultSchema) },
  'POST /api/privacy/requests': { 202: json('Accepted (whether or not the address has comments)', s.PrivacyRequestAcceptedSchema) },
  'GET /api/privacy/confirm': { 200: json('The export or the deletion', s.PrivacyResultSchema) },
  'GET /api/notifications/confirm': { 200: json('Subscribed', z.object({ commentId: z.string(), subscribed: z.literal(true) })) },
  'GET /api/notifications/unsubscribe': { 200: json('Unsubscribed', z.object({ commentId: z.string(), subscribed: z.literal(false) })) },
  'POST /api/notifications/unsubscribe': { 200: json('Unsubscribed (RFC 8058 one-click)', z.object({ commentId: z.string(), subscribed: z.literal(false) })) },
  'POST /api/admin/login': { 200: json('Logged in', s.AdminSessionSchema) },
  'POST /api/admin/logout': { 204: empty('Logged out') },
  'GET /api/admin/me': { 200: json('Who is asking', s.AdminMeSchema) },
  'GET /api/admin/sites': { 200: json('The sites', s.AdminSitesResponseSchema) },
  'GET /api/admin/comments': { 200: json('Comments for moderation', s.AdminCommentsResponseSchema) },
  'POST /api/admin/comments/bulk': { 200: json('Per-comment results', s.AdminBulkResultSchema) },
  'GET /api/admin/comments/:id': { 200: json('The comment', s.AdminCommentSchema) },
  'PATCH /api/admin/comments/:id': { 200: json('Edited', s.AdminCommentSchema) },
  'DELETE /api/admin/comments/:id': { 200: json('Deleted', s.AdminDeleteResultSchema) },
  'POST /api/admin/comments/:id/:action': { 200: json('Moderated', s.AdminCommentSchema) },
  'POST /api/admin/comments/:id/ban': { 201: json('The ban', s.BanSchema) },
  'GET /api/admin/bans': { 200: json('Bans', s.BansResponseSchema) },
  'POST /api/admin/bans': { 201: json('The ban', s.BanSchema) },
  'DELETE /api/admin/bans/:id': { 204: empty('Lifted') },
  'GET /api/admin/flags': { 200: json('Flagged comments') },
  'PUT /api/admin/threads': { 200: json('The thread', s.AdminThreadSchema) },
  'GET /api/admin/threads': { 200: json('Locked threads', s.AdminThreadsResponseSchema) },
  'GET /api/admin/stats': { 200: json('Statistics', s.AdminStatsSchema) },
  'GET /api/admin/webhooks/deliveries': { 200: json('Webhook deliveries', s.WebhookDeliveriesResponseSchema) },
  'POST /api/admin/privacy': { 200: json('The export or the deletion', s.PrivacyResultSchema) },
};
