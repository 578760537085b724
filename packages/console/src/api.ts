import type { AdminBulkAction, AdminBulkResult, AdminComment, AdminCommentPage, AdminMe, AdminSession, AdminSitesResponse, AdminStats, AdminThread, AdminThreadsResponse, Ban, BanKind, ModerationAction, PrivacyRequestKind, PrivacyResult, QueueStatus, RelatedClicksResponse, RelatedFeedbackResponse, WebhookDelivery } from './types.ts';

/** A failed API call, with the server's `{ error: { code, message } }` when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds, from `Retry-After` on 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface CommentQuery {
  site: string;
  status: QueueStatus;
  q?: string;
  author?: string;
  page?: string;
  cursor?: string | null;
  limit?: number;
}

const SAFE = new Set(['GET', 'HEAD']);

/**
 * The console's only way to the server: same-origin `fetch` with the session cookie, and the
 * session's CSRF token as `X-CSRF-Token` on every state-changing request.
 */
export class AdminApi {
  csrfToken: string | undefined;

  constructor(readonly base = '/api/admin') {}

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (!SAFE.has(method) && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection and try again.');
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      const retry = Number(response.headers.get('retry-after'));
      throw new ApiError(
        response.status,
        error?.code ?? `http_${response.status}`,
        error?.message ?? `${method} ${path} failed (${response.status})`,
        Number.isFinite(retry) && retry > 0 ? retry : undefined,
      );
    }
    return json as T;
  }

  async me(): Promise<AdminMe> {
    const me = await this.request<AdminMe>('GET', '/me');
    if (me.via === 'session') this.csrfToken = me.csrfToken;
    return me;
  }

  async login(email: string, password: string): Promise<AdminSession> {
    const session = await this.request<AdminSession>('POST', '/login', { email, password });
    this.csrfToken = session.csrfToken;
    return session;
  }

  async logout(): Promise<void> {
    await this.request<void>('POST', '/logout');
    this.csrfToken = undefined;
  }

  /** The sites this admin can moderate. */
  async sites(signal?: AbortSignal): Promise<AdminSitesResponse['sites']> {
    return (await this.request<AdminSitesResponse>('GET', '/sites', undefined, signal)).sites;
  }

  comments(query: CommentQuery, signal?: AbortSignal): Promise<AdminCommentPage> {
    const params = new URLSearchParams({ site: query.site, status: query.status });
    for (const key of ['q', 'author', 'page', 'cursor'] as const) {
      const value = query[key];
      if (value) params.set(key, value);
    }
    if (query.limit) params.set('limit', String(query.limit));
    return this.request('GET', `/comments?${params}`, undefined, signal);
  }

  /** One comment, any status (the deep link `/admin/comments/<id>`). */
  comment(id: string, signal?: AbortSignal): Promise<AdminComment> {
    return this.request('GET', `/comments/${encodeURIComponent(id)}`, undefined, signal);
  }

  /** Exports or erases, at once, every comment written with `email` on `site`. */
  privacy(site: string, email: string, kind: PrivacyRequestKind): Promise<PrivacyResult> {
    return this.request('POST', '/privacy', { site, email, kind });
  }

  act(id: string, action: ModerationAction): Promise<AdminComment> {
    return this.request('POST', `/comments/${encodeURIComponent(id)}/${action}`);
  }

  /** One action on up to 200 comments of a site (`POST /comments/bulk`); each item says whether it was done. */
  bulk(site: string, ids: string[], action: AdminBulkAction): Promise<AdminBulkResult> {
    return this.request('POST', '/comments/bulk', { site, ids, action });
  }

  remove(id: string): Promise<{ id: string; status: 'deleted' | 'removed' }> {
    return this.request('DELETE', `/comments/${encodeURIComponent(id)}`);
  }

  edit(id: string, body: string): Promise<AdminComment> {
    return this.request('PATCH', `/comments/${encodeURIComponent(id)}`, { body });
  }

  banAuthor(id: string, by: BanKind, durationHours?: number): Promise<Ban> {
    return this.request('POST', `/comments/${encodeURIComponent(id)}/ban`, durationHours ? { by, durationHours } : { by });
  }

  lockThread(site: string, page: string, locked: boolean): Promise<AdminThread> {
    return this.request('PUT', '/threads', { site, page, locked });
  }

  /** The site's locked threads. */
  async lockedThreads(site: string, signal?: AbortSignal): Promise<AdminThread[]> {
    return (await this.request<AdminThreadsResponse>('GET', `/threads?${new URLSearchParams({ site })}`, undefined, signal)).threads;
  }

  stats(site: string, days = 30, signal?: AbortSignal): Promise<AdminStats> {
    return this.request('GET', `/stats?${new URLSearchParams({ site, days: String(days) })}`, undefined, signal);
  }

  /** Clicks on "You may also like" cards in the last `days` days, per followed article, most clicked first. */
  relatedClicks(site: string, days = 30, signal?: AbortSignal): Promise<RelatedClicksResponse> {
    return this.request('GET', `/related/clicks?${new URLSearchParams({ site, days: String(days) })}`, undefined, signal);
  }

  /** Click-through of "You may also like" cards in the last `days` days, by position and by recommended article. */
  relatedFeedback(site: string, days = 30, signal?: AbortSignal): Promise<RelatedFeedbackResponse> {
    return this.request('GET', `/related/feedback?${new URLSearchParams({ site, days: String(days) })}`, undefined, signal);
  }

  async bans(site: string, signal?: AbortSignal): Promise<Ban[]> {
    return (await this.request<{ items: Ban[] }>('GET', `/bans?${new URLSearchParams({ site })}`, undefined, signal)).items;
  }

  unban(id: string): Promise<void> {
    return this.request('DELETE', `/bans/${encodeURIComponent(id)}`);
  }

  async deliveries(site: string, signal?: AbortSignal): Promise<WebhookDelivery[]> {
    return (await this.request<{ items: WebhookDelivery[] }>('GET', `/webhooks/deliveries?${new URLSearchParams({ site })}`, undefined, signal)).items;
  }
}
