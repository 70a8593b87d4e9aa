// Sending one request to a backend over keep-alive agents, so connections are reused. A backend's
// target (host, port, path) is parsed once, not per request: URL parsing was 1.5% of the gateway's
// CPU profile under load (bench:gateway --profile).

import http, { type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';

/** Keep-alive agents shared by every upstream request of one gateway. */
export interface UpstreamAgents {
  http: http.Agent;
  https: https.Agent;
}

/** Where one backend's chat completions go, parsed once. */
export interface UpstreamTarget {
  secure: boolean;
  protocol: string;
  hostname: string;
  port: number | string;
  path: string;
}

/** Builds keep-alive agents for upstream requests. */
export function createUpstreamAgents(): UpstreamAgents {
  const options = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: 256, maxFreeSockets: 64, scheduling: 'lifo' as const };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

/** Parses `baseUrl + path` into a target. */
export function parseUpstreamTarget(baseUrl: string, path: string): UpstreamTarget {
  const options = urlToHttpOptions(new URL(baseUrl + path));
  const secure = options.protocol === 'https:';
  return {
    secure,
    protocol: options.protocol ?? 'http:',
    hostname: options.hostname ?? '127.0.0.1',
    port: options.port ?? (secure ? 443 : 80),
    path: options.path ?? '/',
  };
}

/**
 * The headers of an upstream chat request. `authorization`: the backend's own key if it has one,
 * else the client's header is forwarded (SPEC 2).
 */
export function buildUpstreamHeaders(
  requestId: string,
  stream: boolean,
  body: Buffer,
  authorization: string | null,
  clientHeaders: IncomingHttpHeaders,
): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': body.length,
    accept: stream ? 'text/event-stream' : 'application/json',
    'x-request-id': requestId,
  };
  if (authorization !== null) headers.authorization = authorization;
  else if (typeof clientHeaders.authorization === 'string') headers.authorization = clientHeaders.authorization;
  return headers;
}

/** Starts a POST of `body` to the target; the caller awaits `awaitResponse` and may `destroy` it to abort. */
export function postUpstream(agents: UpstreamAgents, target: UpstreamTarget, headers: Record<string, string | number>, body: Buffer): ClientRequest {
  const request = (target.secure ? https : http).request({
    method: 'POST',
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port,
    path: target.path,
    agent: target.secure ? agents.https : agents.http,
    headers,
  });
  request.end(body);
  return request;
}

/** Resolves with the response once its headers arrive; rejects on connection errors or `destroy`. */
export function awaitResponse(request: ClientRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
}
