/*
 * The typed fetch client both the widgets (in a reader's first load) and the console use. No zod
 * and no value imports: the routes' types come from ./contract.ts and vanish at build time.
 */
import type { ApiContract, ApiRoute } from './contract.ts';
import type { ErrorBody, ErrorIssue } from './error.ts';

/** A failed API call: the server's error JSON, or `status` 0 and code `network_error` when no answer came. */
export class ApiError extends Error {
  override name = 'ApiError';
  // Declared, not parameter properties: those also compile to field definitions, bytes in every reader's first load.
  declare readonly status: number;
  declare readonly code: string;
  declare readonly issues: readonly ErrorIssue[];
  /** Seconds from a 429's or 503's `Retry-After` (0 when absent). */
  declare readonly retryAfter: number;
  /** The server's id for the request (its X-Request-Id): quote it when reporting a problem. */
  declare readonly requestId?: string;

  constructor(status: number, code: string, message: string, issues: readonly ErrorIssue[] = [], retryAfter = 0, requestId?: string) {
    super(message);
    Object.assign(this, { status, code, issues, retryAfter, requestId });
  }
}

export type ApiQuery = Record<string, unknown>;

/** Joins the server base (an origin, optionally with a path prefix; '' for this origin) and an `/api/...` path. */
export function apiUrl(server: string, path: string, query?: ApiQuery): string {
  const url = new URL(server.replace(/\/+$/, '') + path, location.href);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value != null) url.searchParams.set(key, String(value));
  }
  return url.href;
}

/** Where and how to call: the same for every request of one client. */
export interface ApiTarget {
  /** The server's origin, optionally with a path prefix; '' for the page's own origin. */
  server: string;
  /** `omit` for the widgets (they are anonymous), `same-origin` for the console's session cookie. */
  credentials: RequestCredentials;
  /** Sent with every request, e.g. the console's CSRF token. */
  headers?: Record<string, string> | undefined;
}

/** What a call of `route` sends, from the contract; a `query` whose fields are all optional may be left out. */
type Input<Entry> = Omit<Entry, 'response' | 'query'> &
  (Entry extends { query: infer Query } ? ({} extends Query ? { query?: Query } : { query: Query }) : unknown);
export type ApiOptions<Route extends ApiRoute> = Input<ApiContract[Route]> & {
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
};
/** The options argument, optional when nothing in it is required. */
export type ApiArgs<Route extends ApiRoute> = {} extends Input<ApiContract[Route]> ? [options?: ApiOptions<Route>] : [options: ApiOptions<Route>];

type Loose = { params?: Record<string, string>; query?: ApiQuery; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal | undefined };

/**
 * Calls one route of the contract (`'GET /api/comments'`, `'POST /api/admin/comments/{id}/{action}'`…)
 * and resolves with its typed answer (`undefined` for a 204); throws an {@link ApiError} for every
 * failure except an abort, which rethrows the AbortError.
 */
export async function callApi<Route extends ApiRoute>(target: ApiTarget, route: Route, ...args: ApiArgs<Route>): Promise<ApiContract[Route]['response']> {
  const { params, query, body, signal, headers } = (args[0] ?? {}) as Loose;
  const [method, template] = route.split(' ') as [string, string];
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params![name]!));
  let response: Response;
  try {
    response = await fetch(apiUrl(target.server, path, query), {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...target.headers, ...headers },
      // JSON.stringify(undefined) is undefined: no body.
      body: JSON.stringify(body),
      signal,
      credentials: target.credentials,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }
  // A 204 has no body: its `undefined` is the contract's `void`.
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (json as Partial<ErrorBody> | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `${route} answered ${response.status}`,
      error?.issues,
      // The server exposes Retry-After to cross-origin pages (Access-Control-Expose-Headers).
      +response.headers.get('retry-after')! || 0,
      error?.requestId,
    );
  }
  return json as ApiContract[Route]['response'];
}
