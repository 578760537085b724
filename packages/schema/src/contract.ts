import type { z } from 'zod';
import * as s from './index.ts';

/** What one route takes and answers: zod schemas the server validates with; `response: null` is a 204. */
interface RouteSchemas {
  query?: z.ZodType;
  body?: z.ZodType;
  /** Only where a path parameter is narrower than a string. */
  params?: z.ZodType;
  response: z.ZodType | null;
}

/**
 * Every JSON route of the API (`METHOD /path`, path parameters as OpenAPI spells them) with the
 * schemas of its query, body and success answer. The server's OpenAPI test holds these to the
 * routes and schemas the server documents (packages/server/src/openapi/contract.test.ts).
 * Browsers import only the {@link ApiContract} type derived from it: no zod at run time.
 */
export const API_ROUTES = {
  // Readers: <parley-comments>, <parley-count>, <parley-related>.
  'GET /api/comments': { query: s.CommentsQuerySchema, response: s.CommentThreadSchema },
  'POST /api/comments': { body: s.NewCommentSchema, response: s.PostedCommentSchema },
  'GET /api/comments/{id}': { query: s.CommentPermalinkQuerySchema, response: s.CommentPermalinkSchema },
  'GET /api/comments/{id}/replies': { query: s.RepliesQuerySchema, response: s.RepliesResponseSchema },
  'PATCH /api/comments/{id}': { body: s.EditCommentSchema, response: s.CommentWithSourceSchema },
  'DELETE /api/comments/{id}': { query: s.DeleteCommentQuerySchema, response: s.DeleteCommentResultSchema },
  'POST /api/comments/{id}/like': { body: s.LikeCommentSchema, response: s.LikeResultSchema },
  'POST /api/comments/{id}/flag': { body: s.NewFlagSchema, response: s.FlagResultSchema },
  'POST /api/preview': { body: s.PreviewRequestSchema, response: s.PreviewResponseSchema },
  'POST /api/counts': { body: s.CountsRequestSchema, response: s.CountsResponseSchema },
  'GET /api/sites/{id}': { response: s.SitePublicSettingsSchema },
  'GET /api/related': { query: s.RelatedQuerySchema, response: s.RelatedResponseSchema },
  'POST /api/related/click': { body: s.RelatedClickSchema, response: null },
  'POST /api/related/impressions': { body: s.RelatedImpressionsSchema, response: null },
  'POST /api/articles/discover': { body: s.ArticleDiscoverSchema, response: s.ArticleDiscoverResultSchema },
  'POST /api/privacy/requests': { body: s.PrivacyRequestSchema, response: s.PrivacyRequestAcceptedSchema },
  'GET /api/privacy/confirm': { query: s.PrivacyConfirmQuerySchema, response: s.PrivacyResultSchema },
  // A site's own back end, with the admin token.
  'PUT /api/articles': { body: s.ArticlesUpsertSchema, response: s.ArticlesUpsertResultSchema },
  'DELETE /api/articles': { query: s.ArticleDeleteQuerySchema, response: s.ArticleDeleteResultSchema },
  'PUT /api/related/pins': { body: s.RelatedPinsSchema, response: s.RelatedPinsSchema },
  // The console (session cookie + CSRF header) or the admin token.
  'POST /api/admin/login': { body: s.AdminLoginSchema, response: s.AdminSessionSchema },
  'POST /api/admin/logout': { response: null },
  'GET /api/admin/me': { response: s.AdminMeSchema },
  'GET /api/admin/sites': { response: s.AdminSitesResponseSchema },
  'GET /api/admin/comments': { query: s.AdminCommentsQuerySchema, response: s.AdminCommentsResponseSchema },
  'POST /api/admin/comments/bulk': { body: s.AdminBulkSchema, response: s.AdminBulkResultSchema },
  'GET /api/admin/comments/{id}': { response: s.AdminCommentSchema },
  'PATCH /api/admin/comments/{id}': { body: s.AdminEditCommentSchema, response: s.AdminCommentSchema },
  'DELETE /api/admin/comments/{id}': { response: s.AdminDeleteResultSchema },
  'POST /api/admin/comments/{id}/{action}': { params: s.AdminCommentActionParamsSchema, response: s.AdminCommentSchema },
  'POST /api/admin/comments/{id}/ban': { body: s.AdminBanFromCommentSchema, response: s.BanSchema },
  'GET /api/admin/bans': { query: s.SiteQuerySchema, response: s.BansResponseSchema },
  'POST /api/admin/bans': { body: s.NewBanSchema, response: s.BanSchema },
  'DELETE /api/admin/bans/{id}': { response: null },
  'PUT /api/admin/threads': { body: s.AdminThreadLockSchema, response: s.AdminThreadSchema },
  'GET /api/admin/threads': { query: s.AdminThreadsQuerySchema, response: s.AdminThreadsResponseSchema },
  'GET /api/admin/stats': { query: s.AdminStatsQuerySchema, response: s.AdminStatsSchema },
  'GET /api/admin/webhooks/deliveries': { query: s.SiteQuerySchema, response: s.WebhookDeliveriesResponseSchema },
  'POST /api/admin/privacy': { body: s.AdminPrivacySchema, response: s.PrivacyResultSchema },
  'GET /api/admin/related/clicks': { query: s.RelatedClicksQuerySchema, response: s.RelatedClicksResponseSchema },
  'GET /api/admin/related/feedback': { query: s.RelatedFeedbackQuerySchema, response: s.RelatedFeedbackResponseSchema },
} as const satisfies Record<string, RouteSchemas>;

type Routes = typeof API_ROUTES;

/** `/api/comments/{id}/like` → `'id'`. */
export type PathParams<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParams<Rest> : never;

type Params<Route extends string, Schemas> = [PathParams<Route>] extends [never]
  ? unknown
  : { params: Schemas extends { params: z.ZodType } ? z.input<Schemas['params']> : Record<PathParams<Route>, string> };
type Query<Schemas> = Schemas extends { query: z.ZodType } ? { query: z.input<Schemas['query']> } : unknown;
type Body<Schemas> = Schemas extends { body: z.ZodType } ? { body: z.input<Schemas['body']> } : unknown;
type Response<Schemas> = Schemas extends { response: z.ZodType } ? z.output<Schemas['response']> : void;

/**
 * The API as types: per route, what a client sends (`params` of the path, `query`, JSON `body`,
 * as the validators take them) and the `response` it gets back (`void` for a 204).
 */
export type ApiContract = {
  [Route in keyof Routes]: Params<Route, Routes[Route]> & Query<Routes[Route]> & Body<Routes[Route]> & { response: Response<Routes[Route]> };
};
export type ApiRoute = keyof ApiContract;
export type ApiResponse<Route extends ApiRoute> = ApiContract[Route]['response'];
