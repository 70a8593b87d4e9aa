// What the proxy is asked to do for one chat request and what it reports back. The proxy never
// writes the gateway's records: it returns one immutable outcome, and the gateway decides.

import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { ErrorType, GatewayError } from '../errors/gateway-error.js';
import type { ByteLease } from '../http/byte-budget.js';
import type { RoutePlan } from '../routing/router.js';
import type { AttemptRecord } from './attempt-record.js';
import type { ChatBody } from './chat-body.js';

/** Which backend and model are serving (or last tried) a request. */
export interface ServedRoute {
  /** Backend name. */
  readonly backend: string;
  /** The model sent upstream (after alias and fallback). */
  readonly model: string;
  /** The alias-resolved requested model when a fallback is serving instead, else null. */
  readonly fallbackFrom: string | null;
  /** Whether the config or a backend's model list names `model` (else it is a client string, labelled `_unknown`). */
  readonly known: boolean;
}

/** One chat request handed to the proxy. */
export interface ProxyRequest {
  readonly requestId: string;
  readonly body: ChatBody;
  /** The client's body bytes (sent unchanged when nothing needs replacing). */
  readonly raw: Buffer;
  readonly plan: RoutePlan;
  readonly clientHeaders: IncomingHttpHeaders;
  /** The client's response: streams are relayed into it, and its `close` aborts the upstream request. */
  readonly res: ServerResponse;
  /** Writes a stream's response head when its first byte is ready (the gateway owns the headers). */
  readonly writeStreamHead: (route: ServedRoute, status: number, contentType: string) => void;
  /** The request's share of the shared memory budget: a buffered answer is reserved in it too. */
  readonly lease?: ByteLease;
}

/**
 * How the request ended as the proxy saw it:
 * - `answered`: a complete upstream answer (2xx, a passed-through 4xx, or the last busy 429/503) for the gateway to send;
 * - `streamed`: the relay wrote the whole response itself (`error` set if it ended in-band with one);
 * - `failed`: no backend answered; `error` says why;
 * - `abandoned`: the client left while the proxy was working.
 */
export type ProxyOutcomeKind = 'answered' | 'streamed' | 'failed' | 'abandoned';

/** The immutable report of one proxied request. */
export interface ProxyOutcome {
  readonly kind: ProxyOutcomeKind;
  /** The route that answered or was tried last; null when no backend was tried. */
  readonly route: ServedRoute | null;
  /** Status sent (streamed) or to send (answered, failed); 0 when abandoned. */
  readonly status: number;
  /** Why the request did not end in 2xx; null on success or when abandoned. */
  readonly errorType: ErrorType | null;
  readonly error: GatewayError | null;
  /** The upstream answer's bytes and content type (`answered` only). */
  readonly body: Buffer | null;
  readonly contentType: string | null;
  /** `Retry-After` to send with an answered busy 429/503 (the backend's, or 1 for a 503 without one); else null. */
  readonly retryAfter: string | null;
  /** Tokens reported by the backend, -1 when not reported. */
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** performance.now() when the first streamed byte went to the client, -1 if none did. */
  readonly firstByteAt: number;
  /** Milliseconds spent waiting on backends, all attempts together; a stream's only up to its first byte. */
  readonly upstreamMs: number;
  /** Every upstream attempt, oldest first (each was also reported to the attempt observer as it ended). */
  readonly attempts: readonly AttemptRecord[];
}
