// The one error class of the gateway and its catalogue: each stable code has its HTTP status, its
// OpenAI error type and the metrics error_type a chat request failing this way is counted under.

/** Metrics `error_type` label values (SPEC section 3). */
export type ErrorType =
  | 'invalid_request'
  | 'no_backend'
  | 'no_healthy_backend'
  | 'timeout'
  | 'backend_error'
  | 'parse_error'
  | 'client_disconnected'
  | 'stream_interrupted'
  | 'other';

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
  not_found: { status: 404, type: 'invalid_request_error', errorType: 'invalid_request' },
  method_not_allowed: { status: 405, type: 'invalid_request_error', errorType: 'invalid_request' },
  body_too_large: { status: 413, type: 'invalid_request_error', errorType: 'invalid_request' },
  model_not_found: { status: 404, type: 'invalid_request_error', errorType: 'no_backend' },
  no_healthy_backend: { status: 503, type: 'service_unavailable', errorType: 'no_healthy_backend' },
  metrics_unavailable: { status: 503, type: 'service_unavailable', errorType: 'other' },
  backend_error: { status: 502, type: 'api_error', errorType: 'backend_error' },
  invalid_backend_response: { status: 502, type: 'api_error', errorType: 'parse_error' },
  stream_interrupted: { status: 502, type: 'api_error', errorType: 'stream_interrupted' },
  timeout: { status: 504, type: 'timeout_error', errorType: 'timeout' },
  internal_error: { status: 500, type: 'api_error', errorType: 'other' },
} as const satisfies Record<string, CatalogueEntry>;

/** A stable error code of the catalogue. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

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
