// The record of one chat request from handler entry to last byte: what was asked, who served it,
// how it ended. Handlers fill it; the instrumentation reads it exactly once when the response closes.

import type { ErrorType } from '../server/gateway-error.js';

/** Model label for requests whose model no backend or config knows: client strings never become series. */
export const UNKNOWN_MODEL = '_unknown';

/** Backend label for requests no backend was tried for. */
export const NO_BACKEND = 'none';

/** One chat request. Every field is set in the constructor so the shape never changes. */
export class ChatExchange {
  /** Request id (echoed or generated). */
  readonly requestId: string;
  /** performance.now() at handler entry. */
  readonly startedAt: number;
  /** Whether the client asked for a stream. */
  stream = false;
  /** Model label (raw): the served model, else the resolved known model, else `_unknown`. */
  model = UNKNOWN_MODEL;
  /** Backend label (raw): the backend that produced the answer or was tried last, else `none`. */
  backend = NO_BACKEND;
  /** The alias-resolved requested model, when a fallback served instead of it. */
  fallbackFrom: string | null = null;
  /** HTTP status the client got (499 when it left first); 0 until known. */
  status = 0;
  /** Why the request did not end in 2xx; null on success. */
  errorType: ErrorType | null = null;
  /** Tokens reported by the backend, -1 when not reported. */
  promptTokens = -1;
  /** Tokens reported by the backend, -1 when not reported. */
  completionTokens = -1;
  /** Milliseconds spent waiting on backends (all attempts), for the gateway-overhead metric. */
  upstreamMs = 0;
  /** Milliseconds from entry to the first streamed byte sent, -1 if none. */
  firstByteMs = -1;
  /** Milliseconds from entry to the end of the response, set when it closes. */
  durationMs = 0;
  /** True once the gateway itself decided the final status (so a later close is not a client abort). */
  settled = false;

  /** Starts the record of a request. */
  constructor(requestId: string, startedAt: number) {
    this.requestId = requestId;
    this.startedAt = startedAt;
  }

  /** Records the final outcome decided by the gateway. */
  settle(status: number, errorType: ErrorType | null): void {
    this.status = status;
    this.errorType = errorType;
    this.settled = true;
  }
}

/** Receives every finished chat exchange, exactly once each. */
export interface ChatObserver {
  chatFinished(exchange: ChatExchange): void;
}
