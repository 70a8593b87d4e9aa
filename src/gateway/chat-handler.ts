// POST /v1/chat/completions: reads and validates the body, routes, proxies, and makes sure the
// exchange reaches the observer exactly once, when the response closes, however it ended.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatProxy } from '../proxy/chat-proxy.js';
import type { Router } from '../routing/router.js';
import { GatewayError } from '../server/gateway-error.js';
import { parseChatBody } from '../server/chat-request.js';
import { readBody } from '../server/read-body.js';
import { requestIdFor } from '../server/request-id.js';
import { sendError, toGatewayError } from '../server/respond.js';
import type { Logger } from '../logging/logger.js';
import { ChatExchange, UNKNOWN_MODEL, type ChatObserver } from './chat-exchange.js';

/** Status recorded when the client went away before the response was complete (nginx convention). */
export const CLIENT_CLOSED_REQUEST = 499;

/** What the chat handler needs. */
export interface ChatHandlerDeps {
  router: Router;
  proxy: ChatProxy;
  observer: ChatObserver | null;
  maxBodyBytes: number;
  logger: Logger;
}

/** Builds the handler of POST /v1/chat/completions. */
export function createChatHandler(deps: ChatHandlerDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const ex = new ChatExchange(requestIdFor(req.headers), performance.now());
    res.once('close', () => {
      // The client left before the last byte: 499, unless the gateway had already decided on an error.
      const successSoFar = !ex.settled || (ex.status >= 200 && ex.status < 300);
      if (!res.writableFinished && successSoFar) ex.settle(CLIENT_CLOSED_REQUEST, 'client_disconnected');
      ex.durationMs = performance.now() - ex.startedAt;
      deps.observer?.chatFinished(ex);
    });
    try {
      const raw = await readBody(req, deps.maxBodyBytes);
      const body = parseChatBody(raw);
      ex.stream = body.stream === true;
      const plan = deps.router.plan(body.model);
      ex.model = plan.known ? plan.resolvedModel : UNKNOWN_MODEL;
      if (plan.steps.length === 0) {
        throw plan.known
          ? new GatewayError('no_healthy_backend', `No healthy backend serves model ${JSON.stringify(plan.resolvedModel)}`)
          : new GatewayError('model_not_found', `The model ${JSON.stringify(body.model)} does not exist on any backend`, 'model');
      }
      await deps.proxy.forward(ex, body, raw, plan, req.headers, res);
    } catch (caught) {
      const error = toGatewayError(caught);
      if (error.code === 'internal_error') deps.logger.error('chat request failed', { request_id: ex.requestId, error: String(caught) });
      if (res.headersSent) {
        if (!ex.settled) ex.settle(error.status, error.errorType);
        res.destroy();
        return;
      }
      if (res.destroyed) return;
      ex.settle(error.status, error.errorType);
      const headers: Record<string, string> = { 'x-request-id': ex.requestId };
      if (error.code === 'body_too_large') headers.connection = 'close';
      sendError(res, error, headers);
    }
  };
}
