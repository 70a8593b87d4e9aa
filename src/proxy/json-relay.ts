// A non-streaming answer: read the upstream body whole (capped), check that a 2xx is JSON and take
// its token usage. The bytes are kept unchanged for the gateway to send.

import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';
import { readBody } from '../http/read-body.js';
import type { AttemptResult, RequestState } from './request-state.js';
import { readUsage } from './usage.js';

/** Reads one upstream JSON answer into `state`; a broken-off or oversized answer is a failed attempt. */
export async function relayJson(state: RequestState, backend: string, upstream: IncomingMessage, maxResponseBytes: number): Promise<AttemptResult> {
  let bytes: Buffer;
  try {
    bytes = await readBody(upstream, maxResponseBytes, () => new ResponseTooLargeError(maxResponseBytes));
  } catch (error) {
    if (error instanceof ResponseTooLargeError) {
      upstream.destroy();
      state.failure = new GatewayError('backend_error', `Backend ${backend} answered with more than ${maxResponseBytes} bytes`);
    } else {
      state.failure = new GatewayError('backend_error', `Backend ${backend} broke off its answer: ${describeUpstreamError(error)}`);
    }
    return 'retry';
  }
  const status = upstream.statusCode ?? 502;
  if (status >= 200 && status < 300) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      state.failure = new GatewayError('invalid_backend_response', `Backend ${backend} returned a response that is not valid JSON`);
      return 'fail';
    }
    readUsage(parsed, state);
  }
  // 2xx and 4xx alike pass through unchanged: status, content type and bytes.
  state.status = status;
  state.body = bytes;
  state.contentType = upstream.headers['content-type'] ?? 'application/json';
  return 'done';
}

class ResponseTooLargeError extends Error {
  constructor(limit: number) {
    super(`upstream answer over ${limit} bytes`);
  }
}

/** A short, secret-free description of an upstream transport error (its code, not its text). */
export function describeUpstreamError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.name === 'AbortError') return 'aborted';
  return e?.code ?? e?.message ?? String(error);
}
