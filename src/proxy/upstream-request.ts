// Sending one request to a backend over keep-alive agents, so connections are reused. A backend's
// target (host, port, path) is parsed once, not per request: URL parsing was 1.5% of the gateway's
// CPU profile under load (bench:gateway --profile).

import http, { type ClientRequest, type IncomingMessage } from 'node:http';
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
export function upstreamTarget(baseUrl: string, path: string): UpstreamTarget {
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

/** Starts a POST of `body` to the target; the caller awaits `responseOf` and may `destroy` it to abort. */
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
export function responseOf(request: ClientRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
}
