// A non-streaming answer: read the upstream body whole (capped), check that a 2xx is JSON and take
// its token usage. The bytes are kept unchanged for the gateway to send; a busy 429/503 is kept
// aside while the next candidate is tried.

import type { IncomingMessage } from 'node:http';
import { attemptOutcomeForStatus } from '../errors/attempt-outcome.js';
import { createOverloadedError, GatewayError } from '../errors/gateway-error.js';
import type { ByteLease } from '../http/byte-budget.js';
import { readBody } from '../http/read-body.js';
import type { AttemptResult, RequestState } from './request-state.js';
import { readUsage } from './usage.js';

/**
 * Reads one upstream JSON answer into `state`; a broken-off, oversized or unparseable answer is a
 * failed attempt. The bytes are reserved in the request's `lease` on the gateway's memory budget as
 * they arrive; an answer the budget cannot hold is dropped (503 `overloaded` if no later attempt fits).
 */
export async function relayJson(state: RequestState, backend: string, upstream: IncomingMessage, maxResponseBytes: number, lease?: ByteLease): Promise<AttemptResult> {
  let bytes: Buffer;
  try {
    bytes = await readBody(upstream, maxResponseBytes, () => new ResponseTooLargeError(maxResponseBytes), lease === undefined ? {} : { lease, overBudget: dropOverBudget });
  } catch (error) {
    if (error instanceof GatewayError) {
      // The gateway's memory budget is full and the gateway dropped the answer. The backend did answer,
      // so the attempt is what its status says (a 2xx: `success`, clearing its failure count, never
      // ejecting it); `cancelled` means the client left (SPEC 3). The request goes on without it.
      upstream.destroy();
      state.failAttempt(attemptOutcomeForStatus(upstream.statusCode ?? 502), error);
    } else if (error instanceof ResponseTooLargeError) {
      upstream.destroy();
      state.failAttempt('invalid_response', new GatewayError('backend_error', `Backend ${backend} answered with more than ${maxResponseBytes} bytes`));
    } else {
      state.failAttempt('interrupted', new GatewayError('backend_error', `Backend ${backend} broke off its answer: ${describeUpstreamError(error)}`));
    }
    return 'retry';
  }
  const status = upstream.statusCode ?? 502;
  const contentType = upstream.headers['content-type'] ?? 'application/json';
  const outcome = attemptOutcomeForStatus(status);
  if (outcome === 'busy') {
    const retryAfter = upstream.headers['retry-after'];
    state.keepBusyAnswer(status, bytes, contentType, typeof retryAfter === 'string' ? retryAfter : null);
    return 'retry';
  }
  if (outcome === 'success') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      state.failAttempt('invalid_response', new GatewayError('invalid_backend_response', `Backend ${backend} returned a response that is not valid JSON`));
      return 'retry';
    }
    readUsage(parsed, state);
  }
  // 2xx and 4xx alike pass through unchanged: status, content type and bytes.
  state.attemptOutcome = outcome;
  state.keepAnswer(status, bytes, contentType);
  return 'done';
}

// The 503 `overloaded` answer when buffered answers and bodies fill server.max_inflight_body_bytes.
function dropOverBudget(): GatewayError {
  return createOverloadedError('buffered bodies exceed server.max_inflight_body_bytes');
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
  return e?.code ?? 'connection error';
}
