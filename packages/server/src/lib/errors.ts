import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody, ErrorCode, ErrorIssue } from '@parley/schema';

/** A failure the client caused or can act on; `app.onError` turns it into the error JSON. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The only place that shapes error JSON: `{ error: { code, message, issues?, requestId? } }`. */
export function errorBody(code: ErrorCode, message: string, issues?: ErrorIssue[], requestId?: string): ErrorBody {
  return {
    error: {
      code,
      message,
      ...(issues && issues.length > 0 ? { issues } : {}),
      ...(requestId ? { requestId } : {}),
    },
  };
}

/** Error code for an HTTP status raised by Hono or its middleware rather than by us. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'validation_failed';
    case 401:
      return 'unauthorized';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    default:
      return 'internal_error';
  }
}
