// The one error class of the gateway and its catalogue: each stable code has its HTTP status, its
// OpenAI error type and the metrics error_type a chat request failing this way is counted under.
// It is also the only place that maps an upstream answer to an error_type.

/** Metrics `error_type` label values (SPEC section 3), in SPEC order. */
export const ERROR_TYPES = [
  'invalid_request',
  'no_backend',
  'no_healthy_backend',
  'timeout',
  'backend_error',
  'parse_error',
  'client_disconnected',
  'stream_interrupted',
  'overloaded',
  'request_timeout',
  'unauthorized',
  'rate_limited',
  'shutdown',
  'other',
] as const;

/** A metrics `error_type` label value. */
export type ErrorType = (typeof ERROR_TYPES)[number];

interface CatalogueEntry {
  status: number;
  type: string;
  errorType: ErrorType;
}

/** Every error the gateway answers with, by stable code. */
export const ERROR_CATALOGUE = {
  invalid_json: { status: 400, type: 'invalid_request_error', errorType: 'invalid_request' },
  invalid_body: { status: 400, type: 'invalid_request_error', errorType: 'invalid_request' },
  missing_model: { status: 400, type: 'invalid_request_error', errorType: 'invalid_request' },
  invalid_messages: { status: 400, type: 'invalid_request_error', errorType: 'invalid_request' },
  bad_request: { status: 400, type: 'invalid_request_error', errorType: 'invalid_request' },
  not_found: { status: 404, type: 'invalid_request_error', errorType: 'invalid_request' },
  method_not_allowed: { status: 405, type: 'invalid_request_error', errorType: 'invalid_request' },
  request_timeout: { status: 408, type: 'invalid_request_error', errorType: 'request_timeout' },
  body_too_large: { status: 413, type: 'invalid_request_error', errorType: 'invalid_request' },
  headers_too_large: { status: 431, type: 'invalid_request_error', errorType: 'invalid_request' },
  client_disconnected: { status: 499, type: 'invalid_request_error', errorType: 'client_disconnected' },
  invalid_api_key: { status: 401, type: 'invalid_request_error', errorType: 'unauthorized' },
  insufficient_scope: { status: 403, type: 'invalid_request_error', errorType: 'unauthorized' },
  model_not_allowed: { status: 403, type: 'invalid_request_error', errorType: 'unauthorized' },
  rate_limit_exceeded: { status: 429, type: 'rate_limit_error', errorType: 'rate_limited' },
  model_not_found: { status: 404, type: 'invalid_request_error', errorType: 'no_backend' },
  no_healthy_backend: { status: 503, type: 'service_unavailable', errorType: 'no_healthy_backend' },
  overloaded: { status: 503, type: 'service_unavailable', errorType: 'overloaded' },
  shutdown: { status: 503, type: 'service_unavailable', errorType: 'shutdown' },
  metrics_unavailable: { status: 503, type: 'service_unavailable', errorType: 'other' },
  backend_error: { status: 502, type: 'api_error', errorType: 'backend_error' },
  invalid_backend_response: { status: 502, type: 'api_error', errorType: 'parse_error' },
  stream_interrupted: { status: 502, type: 'api_error', errorType: 'stream_interrupted' },
  timeout: { status: 504, type: 'timeout_error', errorType: 'timeout' },
  internal_error: { status: 500, type: 'api_error', errorType: 'other' },
} as const satisfies Record<string, CatalogueEntry>;

/** A stable error code of the catalogue. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/**
 * The error_type of a request answered with an upstream status passed through unchanged: none for
 * 2xx, `rate_limited`/`overloaded` never (those are the gateway's own limits), a busy 429/503 that
 * every candidate gave `backend_error` (the fleet could not serve it), other 4xx the client's
 * request, anything else `other`.
 */
export function errorTypeForUpstreamStatus(status: number): ErrorType | null {
  if (status >= 200 && status < 300) return null;
  if (status === 429 || status === 503) return 'backend_error';
  if (status >= 400 && status < 500) return 'invalid_request';
  return 'other';
}

/** An error with a stable code; the server turns it into the OpenAI error envelope in one place. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  /** Stable code. */
  readonly code: ErrorCode;
  /** HTTP status sent to the client. */
  readonly status: number;
  /** OpenAI error `type`. */
  readonly type: string;
  /** Metrics error_type. */
  readonly errorType: ErrorType;
  /** The request parameter at fault, if any. */
  readonly param: string | null;
  /** Extra response headers (e.g. `Allow` on 405). */
  readonly headers: Readonly<Record<string, string>>;

  /** Builds an error from its code; the message is what the client reads. */
  constructor(code: ErrorCode, message: string, param: string | null = null, headers: Record<string, string> = {}) {
    super(message);
    const entry: CatalogueEntry = ERROR_CATALOGUE[code];
    this.code = code;
    this.status = entry.status;
    this.type = entry.type;
    this.errorType = entry.errorType;
    this.param = param;
    this.headers = headers;
  }

  /** The OpenAI error envelope for this error. */
  toJSON(): { error: { message: string; type: string; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** Seconds a client should wait after an `overloaded` answer (SPEC 1: `Retry-After: 1`). */
const OVERLOADED_RETRY_AFTER = '1';

/** Creates the 503 `overloaded` error of the gateway's own limits, with its `Retry-After`; `reason` names the limit. */
export function createOverloadedError(reason: string): GatewayError {
  return new GatewayError('overloaded', `The gateway is overloaded: ${reason}; retry shortly`, null, { 'retry-after': OVERLOADED_RETRY_AFTER });
}

/** Converts anything thrown into a GatewayError (unknown errors become internal_error, details hidden). */
export function toGatewayError(error: unknown): GatewayError {
  return error instanceof GatewayError ? error : new GatewayError('internal_error', 'Internal gateway error');
}
