// The HTTP server: creates the node:http server and dispatches every request through the route
// table; anything a handler throws becomes the OpenAI error envelope here.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { toGatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import { sendError } from './respond.js';
import type { RouteTable } from './route-table.js';

// Longer than the usual 60 s idle timeout of load balancers in front, so they close first.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Creates the server that dispatches through `routes`. It does not listen yet. */
export function createHttpServer(routes: RouteTable, logger: Logger): Server {
  const fail = (res: ServerResponse, error: unknown): void => {
    const gatewayError = toGatewayError(error);
    if (gatewayError.code === 'internal_error') logger.error('request failed', { error: String(error) });
    sendError(res, gatewayError);
  };
  const dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      const handler = routes.match(req.method ?? 'GET', req.url ?? '/');
      const result = handler(req, res);
      if (result instanceof Promise) result.catch((error: unknown) => fail(res, error));
    } catch (error) {
      fail(res, error);
    }
  };
  return createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, dispatch);
}
