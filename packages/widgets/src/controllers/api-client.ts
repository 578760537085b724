import type { ErrorBody, ErrorIssue } from '@parley/schema';

/** A failed API call: the server's error JSON, or `status` 0 and code `network_error` when no answer came. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly ErrorIssue[] = [],
    /** Seconds from a 429's `Retry-After` (0 when absent). */
    readonly retryAfter = 0,
    /** The server's id for the request (its X-Request-Id): quote it when reporting a problem. */
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  /** JSON-serialised as the request body; makes the request a POST unless `method` says otherwise. */
  body?: unknown;
  method?: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Joins the server base (an origin, optionally with a path prefix) and an `/api/...` path. */
export function apiUrl(server: string, path: string, query?: RequestOptions['query']): string {
  const url = new URL(server.replace(/\/+$/, '') + path, location.href);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.href;
}

/** Fetches JSON from the Parley API; throws an {@link ApiError} for every failure. */
export async function request<T>(server: string, path: string, options: RequestOptions = {}): Promise<T> {
  const { body, query, signal } = options;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(apiUrl(server, path, query), {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
      credentials: 'omit',
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network_error', (error as Error).message || 'Network error');
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (json as Partial<ErrorBody> | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `HTTP ${response.status}`,
      error?.issues ?? [],
      // The server exposes Retry-After to cross-origin pages (Access-Control-Expose-Headers).
      +(response.headers.get('retry-after') ?? 0) || 0,
      error?.requestId,
    );
  }
  return json as T;
}
