// Request ids: echo a sane client-supplied X-Request-Id, otherwise generate one.

import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

// Printable ASCII only and bounded, so an echoed id cannot inject headers or bloat logs.
const ACCEPTABLE_ID = /^[\x21-\x7e]{1,128}$/;

/** The request id to use for this request. */
export function requestIdFor(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
}
