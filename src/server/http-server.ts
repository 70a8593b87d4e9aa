// The HTTP server: creates the node:http server and dispatches every request through the route
// table; anything a handler throws becomes the OpenAI error envelope here.

import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { toGatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import { sendError } from './respond.js';
import type { RouteTable } from './route-table.js';

// Longer than the usual 60 s idle timeout of load balancers in front, so they close first.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Decides before any route is matched whether a request may go on; when not, it has answered it. */
export type RequestGuard = (req: IncomingMessage, res: ServerResponse) => boolean;

/** PEM files for HTTPS. */
export interface TlsFiles {
  cert_file: string;
  key_file: string;
}

/**
 * Creates the server that dispatches through `routes`, behind `guard`; HTTPS when `tls` names PEM
 * files (read now, so a bad path fails at start). It does not listen yet.
 */
export function createHttpServer(routes: RouteTable, logger: Logger, guard: RequestGuard | null = null, tls: TlsFiles | null = null): Server {
  const fail = (res: ServerResponse, error: unknown): void => {
    const gatewayError = toGatewayError(error);
    if (gatewayError.code === 'internal_error') logger.error('request failed', { error: String(error) });
    sendError(res, gatewayError);
  };
  const dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      if (guard !== null && !guard(req, res)) return;
      const handler = routes.match(req.method ?? 'GET', req.url ?? '/');
      const result = handler(req, res);
      if (result instanceof Promise) result.catch((error: unknown) => fail(res, error));
    } catch (error) {
      fail(res, error);
    }
  };
  if (tls === null) return createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, dispatch);
  return createHttpsServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, cert: readFileSync(tls.cert_file), key: readFileSync(tls.key_file) }, dispatch);
}
