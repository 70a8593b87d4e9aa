// The proxy's own scratch record of one request while its attempts run: deadline and client-abort
// flags, the attempt in flight (so either event can abort exactly it), and what the attempts found.
// It never leaves the proxy: `toOutcome()` turns it into the immutable report the gateway reads.

import type { ClientRequest } from 'node:http';
import type { AttemptOutcome } from '../errors/attempt-outcome.js';
import { errorTypeForUpstreamStatus, type GatewayError } from '../errors/gateway-error.js';
import type { AttemptRecord } from './attempt-record.js';
import type { ProxyOutcome, ProxyOutcomeKind, ServedRoute } from './proxy-outcome.js';
import type { TokenUsage } from './usage.js';

/** What one attempt tells the retry loop: finished (answered or streamed), or try the next candidate. */
export type AttemptResult = 'done' | 'retry';

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
  /** Retry-After of a kept busy answer. */
  retryAfter: string | null = null;
  /** True while the last failed attempt was busy (429/503): its answer, not `failure`, goes to the client. */
  lastFailureBusy = false;
  promptTokens = -1;
  completionTokens = -1;
  firstByteAt = -1;
  upstreamMs = 0;
  /** Every attempt so far, oldest first. */
  readonly attempts: AttemptRecord[] = [];
  /** The attempt in flight: how it ended (as its relay saw it), whether its own timer fired, its first byte. */
  attemptOutcome: AttemptOutcome = 'connect_error';
  attemptTimedOut = false;
  attemptFirstByteAt = -1;
  private attemptTimer: NodeJS.Timeout | null = null;
  // Built once per request (not per attempt): fires the attempt's own timeout.
  private readonly expireAttempt = (): void => {
    this.attemptTimedOut = true;
    this.abortCurrent();
  };

  /** Aborts the upstream request in flight, if any. */
  abortCurrent(): void {
    if (this.current !== null) this.current.destroy(Object.assign(new Error('aborted'), { name: 'AbortError' }));
  }

  /** Starts a new attempt (its timer starts when its request is sent: `armAttempt`). */
  beginAttempt(): void {
    this.attemptOutcome = 'connect_error';
    this.attemptTimedOut = false;
    this.attemptFirstByteAt = -1;
  }

  /** Starts the attempt's own timer: when the request is sent, so waiting for a socket never counts. */
  armAttempt(timeoutMs: number): void {
    this.attemptTimer = setTimeout(this.expireAttempt, timeoutMs);
  }

  /** Stops the attempt's own timer (its stream's first byte arrived, or it ended). */
  disarmAttempt(): void {
    if (this.attemptTimer === null) return;
    clearTimeout(this.attemptTimer);
    this.attemptTimer = null;
  }

  /** The attempt failed this way; `error` is what the client gets if it stays the last failure. */
  failAttempt(outcome: AttemptOutcome, error: GatewayError): void {
    this.attemptOutcome = outcome;
    this.failure = error;
    this.lastFailureBusy = false;
  }

  /** The attempt got a busy 429/503: kept, and passed through if no later attempt does better. */
  keepBusyAnswer(status: number, body: Buffer, contentType: string, retryAfter: string | null): void {
    this.attemptOutcome = 'busy';
    this.status = status;
    this.body = body;
    this.contentType = contentType;
    // SPEC 2.1: every 503 to a chat request carries Retry-After.
    this.retryAfter = retryAfter ?? (status === 503 ? '1' : null);
    this.lastFailureBusy = true;
  }

  /** The attempt got an answer to send as it is (2xx, or a 4xx other than 429). */
  keepAnswer(status: number, body: Buffer, contentType: string): void {
    this.status = status;
    this.body = body;
    this.contentType = contentType;
    this.retryAfter = null;
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
      retryAfter: kind === 'answered' ? this.retryAfter : null,
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      firstByteAt: this.firstByteAt,
      upstreamMs: this.upstreamMs,
      attempts: this.attempts,
    });
  }
}
