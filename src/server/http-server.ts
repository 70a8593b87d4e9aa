// The HTTP server: creates the node:http server and dispatches every request through the route
// table; anything a handler throws becomes the OpenAI error envelope here, and so do the errors
// node:http answers by itself (malformed requests, headers too large or too slow).

import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { GatewayError, toGatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import { ConnectionDrain } from './drain.js';
import { resolveRequestId } from './request-id.js';
import { renderRawError, sendError } from './respond.js';
import type { RouteTable } from './route-table.js';
import { WriteStallWatch } from './write-stall.js';

// Longer than the usual 60 s idle timeout of load balancers in front, so they close first.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Decides before any route is matched whether a request may go on; when not, it has answered it.
 * A promise when the decision needs another process (a cluster's group-wide rate limit).
 */
export type RequestGuard = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** PEM files for HTTPS. */
export interface TlsFiles {
  cert_file: string;
  key_file: string;
}

/** How the server is set up and the limits it enforces on every connection. */
export interface HttpServerOptions {
  /** Longest a client may take to send its request headers (408). */
  headersTimeoutMs: number;
  /** Longest a socket may accept no byte of pending response data before it is destroyed. */
  writeStallTimeoutMs: number;
  /** Runs before any route is matched (access control), or null. */
  guard: RequestGuard | null;
  /** HTTPS with these PEM files (read now, so a bad path fails at start), or null for HTTP. */
  tls: TlsFiles | null;
}

/** The server with its drain (graceful shutdown) and its write-stall watch. */
export interface GatewayHttpServer {
  server: Server;
  drain: ConnectionDrain;
  stall: WriteStallWatch;
}

// node:http's own answers to requests it could not hand to a route, as catalogue errors.
function mapClientError(error: NodeJS.ErrnoException): GatewayError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new GatewayError('headers_too_large', 'Request headers are too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new GatewayError('request_timeout', 'The request headers did not arrive in time');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new GatewayError('body_too_large', 'Chunk extensions are too large');
    default:
      return new GatewayError('bad_request', 'Malformed HTTP request');
  }
}

// Replaces node:http's default clientError answer (a bare status line) with the JSON envelope.
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const inProgress = (socket as { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent === true) {
    socket.destroy();
    return;
  }
  socket.end(renderRawError(mapClientError(error)));
}

/** Creates the server that dispatches through `routes`, behind the guard; it does not listen yet. */
export function createHttpServer(routes: RouteTable, logger: Logger, options: HttpServerOptions): GatewayHttpServer {
  // The id a handler already answered with, else the client's (or a new one): logged and sent, so
  // the client's report and this log line can be matched.
  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown): void => {
    const gatewayError = toGatewayError(error);
    const chosen = res.getHeader('x-request-id');
    const requestId = typeof chosen === 'string' ? chosen : resolveRequestId(req.headers);
    if (gatewayError.code === 'internal_error') logger.error('request failed', { request_id: requestId, error: String(error) });
    sendError(res, gatewayError, { 'x-request-id': requestId });
  };
  const route = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      const handler = routes.match(req.method ?? 'GET', req.url ?? '/');
      const result = handler(req, res);
      if (result instanceof Promise) result.catch((error: unknown) => fail(req, res, error));
    } catch (error) {
      fail(req, res, error);
    }
  };
  const dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    drain.track(res);
    let admitted: boolean | Promise<boolean> = true;
    try {
      if (options.guard !== null) admitted = options.guard(req, res);
    } catch (error) {
      return fail(req, res, error);
    }
    if (admitted === true) return route(req, res);
    if (admitted instanceof Promise) admitted.then((ok) => ok && route(req, res), (error: unknown) => fail(req, res, error));
  };
  const serverOptions = {
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    headersTimeout: options.headersTimeoutMs,
    // Bodies have their own deadline in the body reader (408 recorded as a chat request), so
    // node:http's whole-request timer, which would answer behind the handler's back, is off.
    requestTimeout: 0,
    // node:http checks header deadlines on this period (default 30 s, so a 30 s limit took up to 60 s).
    connectionsCheckingInterval: Math.max(10, Math.min(1000, options.headersTimeoutMs / 4)),
  };
  const { tls } = options;
  const server: Server =
    tls === null ? createServer(serverOptions, dispatch) : createHttpsServer({ ...serverOptions, cert: readFileSync(tls.cert_file), key: readFileSync(tls.key_file) }, dispatch);
  const drain = new ConnectionDrain(server);
  const stall = new WriteStallWatch(options.writeStallTimeoutMs);
  server.on('clientError', answerClientError);
  // The socket the response bytes wait in: the TLS socket for HTTPS, whose errors the chat record sees.
  server.on(tls === null ? 'connection' : 'secureConnection', (socket: Socket) => stall.watch(socket));
  return { server, drain, stall };
}
