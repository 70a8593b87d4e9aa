// Request ids: echo a sane client-supplied X-Request-Id, otherwise generate one.

import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

// Visible ASCII only and at most 64 characters (SPEC 2), so an echoed id cannot inject headers or
// bloat logs, and always fits an OpenMetrics exemplar (128 characters for labels and values).
const ACCEPTABLE_ID = /^[\x21-\x7e]{1,64}$/;

/** The request id to use for this request: the client's if acceptable, else a new UUID. */
export function resolveRequestId(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
}
