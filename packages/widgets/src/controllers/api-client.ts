import { callApi, type ApiArgs } from '@parley/schema/client';
import type { ApiResponse, ApiRoute } from '@parley/schema/contract';

export { ApiError, apiUrl } from '@parley/schema/client';

/**
 * Calls a route of the API contract as the widgets do: anonymous (no cookies: a reader is not
 * logged in to the comments server), typed by the route, throwing an ApiError on failure.
 */
export function request<Route extends ApiRoute>(server: string, route: Route, ...args: ApiArgs<Route>): Promise<ApiResponse<Route>> {
  return callApi({ server, credentials: 'omit' }, route, ...args);
}
