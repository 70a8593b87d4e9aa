// POST /v1/chat/completions: admits the request, reads and validates the body, routes, hands the
// request to the proxy, turns its outcome into the response, and makes sure the exchange reaches the
// observer exactly once.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiKey } from '../auth/api-key.js';
import { createOverloadedError, GatewayError, toGatewayError } from '../errors/gateway-error.js';
import { encodeHeaderValue } from '../http/header-value.js';
import { BodyAbortedError, readBody, type ReadBodyOptions } from '../http/read-body.js';
import type { Logger } from '../logging/logger.js';
import { parseChatBody } from '../proxy/chat-body.js';
import type { ChatProxy } from '../proxy/chat-proxy.js';
import type { ProxyOutcome, ServedRoute } from '../proxy/proxy-outcome.js';
import type { RoutePlan, Router } from '../routing/router.js';
import { resolveRequestId } from '../server/request-id.js';
import { sendError } from '../server/respond.js';
import type { ChatAdmission } from './chat-admission.js';
import { ChatExchange, UNKNOWN_MODEL } from './chat-exchange.js';

/** What the chat handler needs. */
export interface ChatHandlerDeps {
  router: Router;
  proxy: ChatProxy;
  /** Concurrency cap and memory budget; it passes finished exchanges on to the observers. */
  admission: ChatAdmission;
  maxBodyBytes: number;
  /** Longest the request body may take to arrive (408). */
  bodyTimeoutMs: number;
  logger: Logger;
  /** The API key an admitted request presented (null with access control off). */
  keyOf: (req: IncomingMessage) => ApiKey | null;
  /** The 404 or 503 for a request no backend can take (SPEC 2.1), with its message and Retry-After. */
  noRoute: (plan: RoutePlan, requested: string) => GatewayError;
}

// With access control on, the client's Authorization is its key to Nexus and never goes upstream.
const NO_CLIENT_HEADERS = Object.freeze({});

/** Builds the handler of POST /v1/chat/completions. */
export function createChatHandler(deps: ChatHandlerDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { admission } = deps;
  const bodyOptions: Omit<ReadBodyOptions, 'lease'> = {
    overBudget: () => createOverloadedError('request bodies in flight exceed server.max_inflight_body_bytes'),
    timeoutMs: deps.bodyTimeoutMs,
    timedOut: () => new GatewayError('request_timeout', `The request body did not arrive within ${deps.bodyTimeoutMs / 1000} s`),
  };
  const tooLarge = (): GatewayError => new GatewayError('body_too_large', `Request body exceeds the limit of ${deps.maxBodyBytes} bytes`);
  return async (req, res) => {
    const ex = new ChatExchange(resolveRequestId(req.headers), performance.now(), admission);
    // Delivered means finished on a socket nobody destroyed with an error: node:http also reports a
    // response as finished when its socket is destroyed with the bytes still queued (write stall).
    const socket = req.socket;
    res.once('close', () => ex.markClosed(res.writableFinished && socket.errored === null, performance.now()));
    const key = deps.keyOf(req);
    if (key !== null) ex.keyName = key.name;
    let bodyRead = false;
    try {
      const lease = admission.admit(ex);
      if (lease === null) throw createOverloadedError('too many requests in flight (server.max_concurrent_requests)');
      const raw = await readBody(req, deps.maxBodyBytes, tooLarge, { ...bodyOptions, lease });
      bodyRead = true;
      const body = parseChatBody(raw);
      ex.requestedModel = body.model;
      ex.stream = body.stream === true;
      const plan = deps.router.plan(body.model);
      ex.model = plan.known ? plan.resolvedModel : UNKNOWN_MODEL;
      if (key !== null && !key.allowsModel(body.model, plan.resolvedModel)) {
        throw new GatewayError('model_not_allowed', `The key "${key.name}" may not use the model ${JSON.stringify(body.model)}`, 'model');
      }
      if (plan.steps.length === 0) throw deps.noRoute(plan, body.model);
      const writeStreamHead = (route: ServedRoute, status: number, contentType: string): void => {
        res.writeHead(status, { ...buildRouteHeaders(ex.requestId, route), 'content-type': contentType, 'cache-control': 'no-cache' });
      };
      const clientHeaders = key === null ? req.headers : NO_CLIENT_HEADERS;
      const outcome = await deps.proxy.forward({ requestId: ex.requestId, body, raw, plan, clientHeaders, res, writeStreamHead, lease });
      ex.applyOutcome(outcome);
      respond(ex, outcome, res);
    } catch (caught) {
      if (caught instanceof BodyAbortedError) {
        // The client went away mid-upload: its doing, not the gateway's (recorded 499, not logged as an error).
        ex.settle(499, 'client_disconnected');
        return;
      }
      const error = toGatewayError(caught);
      ex.errorMessage = error.message;
      if (error.code === 'internal_error') deps.logger.error('chat request failed', { request_id: ex.requestId, error: String(caught) });
      if (res.headersSent) {
        if (ex.status === 0) ex.settle(error.status, error.errorType);
        res.destroy();
      } else if (!res.destroyed) {
        ex.settle(error.status, error.errorType);
        const headers: Record<string, string> = { 'x-request-id': ex.requestId };
        // Unread body bytes would be taken for the next request on this socket: close it instead.
        if (!bodyRead) headers.connection = 'close';
        sendError(res, error, headers);
      }
    } finally {
      ex.markHandled();
    }
  };
}

// Sends what the proxy did not: a complete upstream answer, or the error that no backend answered.
function respond(ex: ChatExchange, outcome: ProxyOutcome, res: ServerResponse): void {
  if (outcome.kind === 'failed' && outcome.error !== null) throw outcome.error;
  if (outcome.kind !== 'answered' || outcome.route === null || outcome.body === null || res.destroyed) return;
  res.writeHead(outcome.status, {
    ...buildRouteHeaders(ex.requestId, outcome.route),
    'content-type': outcome.contentType ?? 'application/json',
    'content-length': outcome.body.length,
    ...(outcome.retryAfter === null ? {} : { 'retry-after': outcome.retryAfter }),
  });
  res.end(outcome.body);
}

// Model and backend names come from configs and backends: percent-encoded, so no name can make
// node:http throw (SPEC 2.2). The request id is already visible ASCII.
function buildRouteHeaders(requestId: string, route: ServedRoute): Record<string, string> {
  const model = encodeHeaderValue(route.model);
  const headers: Record<string, string> = { 'x-nexus-backend': encodeHeaderValue(route.backend), 'x-nexus-model': model, 'x-request-id': requestId };
  if (route.fallbackFrom !== null) headers['x-nexus-fallback-model'] = model;
  return headers;
}
