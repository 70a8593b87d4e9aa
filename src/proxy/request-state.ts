// The proxy's own scratch record of one request while its attempts run: deadline and client-abort
// flags, the attempt in flight (so either event can abort exactly it), and what the attempts found.
// It never leaves the proxy: `toOutcome()` turns it into the immutable report the gateway reads.

import type { ClientRequest } from 'node:http';
import { errorTypeForUpstreamStatus, type GatewayError } from '../errors/gateway-error.js';
import type { ProxyOutcome, ProxyOutcomeKind, ServedRoute } from './proxy-outcome.js';
import type { TokenUsage } from './usage.js';

/** What one attempt tells the retry loop: finished (answered or streamed), try the next, or stop with `failure`. */
export type AttemptResult = 'done' | 'retry' | 'fail';

/** Mutable per-request state shared by the attempts of one request. */
export class RequestState implements TokenUsage {
  timedOut = false;
  clientGone = false;
  /** True once a stream's first byte went to the client: no failover, no request deadline after it. */
  streaming = false;
  // Destroying the request aborts it: cheaper than an AbortController per attempt (1.6% of the
  // profile under load went to creating signals and their listeners).
  current: ClientRequest | null = null;
  route: ServedRoute | null = null;
  failure: GatewayError | null = null;
  status = 0;
  body: Buffer | null = null;
  contentType: string | null = null;
  promptTokens = -1;
  completionTokens = -1;
  firstByteAt = -1;
  upstreamMs = 0;
  attempts = 0;

  /** Aborts the upstream request in flight, if any. */
  abortCurrent(): void {
    if (this.current !== null) this.current.destroy(Object.assign(new Error('aborted'), { name: 'AbortError' }));
  }

  /** Freezes the state into the outcome of kind `kind`. */
  toOutcome(kind: ProxyOutcomeKind): ProxyOutcome {
    const error = kind === 'answered' || kind === 'abandoned' ? null : this.failure;
    const status = kind === 'abandoned' ? 0 : kind === 'failed' && error !== null ? error.status : this.status;
    return Object.freeze({
      kind,
      route: this.route,
      status,
      errorType: kind === 'answered' ? errorTypeForUpstreamStatus(status) : error === null ? null : error.errorType,
      error,
      body: this.body,
      contentType: this.contentType,
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      firstByteAt: this.firstByteAt,
      upstreamMs: this.upstreamMs,
      attempts: this.attempts,
    });
  }
}
