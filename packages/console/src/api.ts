import { callApi, type ApiArgs } from '@parley/schema/client';
import type { ApiResponse, ApiRoute } from '@parley/schema/contract';
import type { AdminBulkAction, AdminBulkResult, AdminComment, AdminCommentPage, AdminMe, AdminSession, AdminSitesResponse, AdminStats, AdminThread, Ban, BanKind, ModerationAction, PrivacyRequestKind, PrivacyResult, QueueStatus, RelatedClicksResponse, RelatedFeedbackResponse, WebhookDelivery } from './types.ts';

export { ApiError } from '@parley/schema/client';

export interface CommentQuery {
  site: string;
  status: QueueStatus;
  q?: string;
  author?: string;
  page?: string;
  cursor?: string | null;
  limit?: number;
}

/**
 * The console's only way to the server: same-origin `fetch` with the session cookie, and the
 * session's CSRF token as `X-CSRF-Token` on every state-changing request. Each call names its
 * route of the API contract, which types what goes out and what comes back.
 */
export class AdminApi {
  csrfToken: string | undefined;

  /** Where the admin routes are (the migrate view streams uploads there itself). */
  readonly base = '/api/admin';

  call<Route extends ApiRoute>(route: Route, ...args: ApiArgs<Route>): Promise<ApiResponse<Route>> {
    const safe = route.startsWith('GET ');
    return callApi({ server: '', credentials: 'same-origin', headers: !safe && this.csrfToken ? { 'x-csrf-token': this.csrfToken } : {} }, route, ...args);
  }

  async me(): Promise<AdminMe> {
    const me = await this.call('GET /api/admin/me');
    if (me.via === 'session') this.csrfToken = me.csrfToken;
    return me;
  }

  async login(email: string, password: string): Promise<AdminSession> {
    const session = await this.call('POST /api/admin/login', { body: { email, password } });
    this.csrfToken = session.csrfToken;
    return session;
  }

  async logout(): Promise<void> {
    await this.call('POST /api/admin/logout');
    this.csrfToken = undefined;
  }

  /** The sites this admin can moderate. */
  async sites(signal?: AbortSignal): Promise<AdminSitesResponse['sites']> {
    return (await this.call('GET /api/admin/sites', { signal })).sites;
  }

  comments(query: CommentQuery, signal?: AbortSignal): Promise<AdminCommentPage> {
    // Empty filters are left out, not sent as `q=`.
    const { site, status, q, author, page, cursor, limit } = query;
    return this.call('GET /api/admin/comments', {
      query: { site, status, q: q || undefined, author: author || undefined, page: page || undefined, cursor: cursor || undefined, limit: limit || undefined },
      signal,
    });
  }

  /** One comment, any status (the deep link `/admin/comments/<id>`). */
  comment(id: string, signal?: AbortSignal): Promise<AdminComment> {
    return this.call('GET /api/admin/comments/{id}', { params: { id }, signal });
  }

  /** Exports or erases, at once, every comment written with `email` on `site`. */
  privacy(site: string, email: string, kind: PrivacyRequestKind): Promise<PrivacyResult> {
    return this.call('POST /api/admin/privacy', { body: { site, email, kind } });
  }

  act(id: string, action: ModerationAction): Promise<AdminComment> {
    return this.call('POST /api/admin/comments/{id}/{action}', { params: { id, action } });
  }

  /** One action on up to 200 comments of a site (`POST /comments/bulk`); each item says whether it was done. */
  bulk(site: string, ids: string[], action: AdminBulkAction): Promise<AdminBulkResult> {
    return this.call('POST /api/admin/comments/bulk', { body: { site, ids, action } });
  }

  remove(id: string): Promise<ApiResponse<'DELETE /api/admin/comments/{id}'>> {
    return this.call('DELETE /api/admin/comments/{id}', { params: { id } });
  }

  edit(id: string, body: string): Promise<AdminComment> {
    return this.call('PATCH /api/admin/comments/{id}', { params: { id }, body: { body } });
  }

  banAuthor(id: string, by: BanKind, durationHours?: number): Promise<Ban> {
    return this.call('POST /api/admin/comments/{id}/ban', { params: { id }, body: durationHours ? { by, durationHours } : { by } });
  }

  lockThread(site: string, page: string, locked: boolean): Promise<AdminThread> {
    return this.call('PUT /api/admin/threads', { body: { site, page, locked } });
  }

  /** The site's locked threads. */
  async lockedThreads(site: string, signal?: AbortSignal): Promise<AdminThread[]> {
    return (await this.call('GET /api/admin/threads', { query: { site }, signal })).threads;
  }

  stats(site: string, days = 30, signal?: AbortSignal): Promise<AdminStats> {
    return this.call('GET /api/admin/stats', { query: { site, days }, signal });
  }

  /** Clicks on "You may also like" cards in the last `days` days, per followed article, most clicked first. */
  relatedClicks(site: string, days = 30, signal?: AbortSignal): Promise<RelatedClicksResponse> {
    return this.call('GET /api/admin/related/clicks', { query: { site, days }, signal });
  }

  /** Click-through of "You may also like" cards in the last `days` days, by position and by recommended article. */
  relatedFeedback(site: string, days = 30, signal?: AbortSignal): Promise<RelatedFeedbackResponse> {
    return this.call('GET /api/admin/related/feedback', { query: { site, days }, signal });
  }

  async bans(site: string, signal?: AbortSignal): Promise<Ban[]> {
    return (await this.call('GET /api/admin/bans', { query: { site }, signal })).items;
  }

  unban(id: string): Promise<void> {
    return this.call('DELETE /api/admin/bans/{id}', { params: { id } });
  }

  async deliveries(site: string, signal?: AbortSignal): Promise<WebhookDelivery[]> {
    return (await this.call('GET /api/admin/webhooks/deliveries', { query: { site }, signal })).items;
  }
}
