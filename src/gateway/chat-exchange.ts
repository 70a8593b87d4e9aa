// The record of one chat request from handler entry to last byte: what was asked, who served it,
// how it ended. The chat handler fills it from the proxy's outcome in one place; the observer reads
// it exactly once, when both the handler is done and the response has closed.

import type { ErrorType } from '../errors/gateway-error.js';
import type { ProxyOutcome } from '../proxy/proxy-outcome.js';

/** Model label for requests whose model no backend or config knows: client strings never become series. */
export const UNKNOWN_MODEL = '_unknown';

/** Backend label for requests no backend was tried for. */
export const NO_BACKEND = 'none';

/** Status recorded when the client went away before the response was complete (nginx convention). */
export const CLIENT_CLOSED_REQUEST = 499;

/** Status recorded for requests cut when the shutdown drain ends (the `shutdown` catalogue entry). */
const SHUTDOWN_STATUS = 503;

/** Receives every finished chat exchange, exactly once each. */
export interface ChatObserver {
  chatFinished(exchange: ChatExchange): void;
}

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
  /** Name of the API key the request presented (access control on and key valid), else null. */
  keyName: string | null = null;
  /** The model as the client sent it (empty until the body is parsed). */
  requestedModel = '';
  /** Upstream attempts made (each backend tried counts once). */
  attempts = 0;
  /** What went wrong, as the client was told; null on success. */
  errorMessage: string | null = null;
  private handled = false;
  private final = false;
  private closed = false;
  private clientLeft = false;
  private reported = false;
  private readonly observer: ChatObserver | null;

  /** Starts the record of a request; `observer` gets it once it is complete. */
  constructor(requestId: string, startedAt: number, observer: ChatObserver | null) {
    this.requestId = requestId;
    this.startedAt = startedAt;
    this.observer = observer;
  }

  /** Records the final status decided by the gateway (ignored once the request was cut at shutdown). */
  settle(status: number, errorType: ErrorType | null): void {
    if (this.final) return;
    this.status = status;
    this.errorType = errorType;
  }

  /**
   * The gateway cut this request at the end of the shutdown drain: it is recorded 503 `shutdown`
   * whatever its attempts report afterwards, and not 499 (the client did not leave).
   */
  cutForShutdown(): void {
    this.settle(SHUTDOWN_STATUS, 'shutdown');
    this.final = true;
  }

  /** Takes everything the proxy reported: route, status, tokens and timings. */
  applyOutcome(outcome: ProxyOutcome): void {
    if (outcome.route !== null) {
      this.backend = outcome.route.backend;
      // A model no config or model list names (a backend that accepts any name served it) stays `_unknown`.
      this.model = outcome.route.known ? outcome.route.model : UNKNOWN_MODEL;
      this.fallbackFrom = outcome.route.fallbackFrom;
    }
    if (outcome.kind !== 'abandoned') this.settle(outcome.status, outcome.errorType);
    this.attempts = outcome.attempts.length;
    if (outcome.error !== null) this.errorMessage = outcome.error.message;
    else if (outcome.kind === 'answered' && outcome.errorType !== null) this.errorMessage = `Backend ${this.backend} answered ${outcome.status}`;
    this.promptTokens = outcome.promptTokens;
    this.completionTokens = outcome.completionTokens;
    this.upstreamMs = outcome.upstreamMs;
    if (outcome.firstByteAt >= 0) this.firstByteMs = outcome.firstByteAt - this.startedAt;
  }

  /** The handler is done with the request (whatever way it ended). */
  markHandled(): void {
    this.handled = true;
    this.report();
  }

  /** The response closed; `finished` says whether its last byte was written. */
  markClosed(finished: boolean, now: number): void {
    this.closed = true;
    this.clientLeft = !finished;
    this.durationMs = now - this.startedAt;
    this.report();
  }

  // Reports once both have happened: the proxy's outcome may arrive after the close (the client
  // left mid-stream), and the close after the handler (bytes still flushing).
  private report(): void {
    if (!this.handled || !this.closed || this.reported) return;
    this.reported = true;
    // The client left before the last byte: 499, unless the gateway had already decided on an error.
    if (this.clientLeft && (this.status === 0 || (this.status >= 200 && this.status < 300))) {
      this.settle(CLIENT_CLOSED_REQUEST, 'client_disconnected');
      this.errorMessage = 'The client closed the connection before the response was complete';
    }
    this.observer?.chatFinished(this);
  }
}
