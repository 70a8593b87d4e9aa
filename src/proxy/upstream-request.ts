// Sending one request to a backend over keep-alive agents, so connections are reused.

import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';

/** Keep-alive agents shared by every upstream request of one gateway. */
export interface UpstreamAgents {
  http: http.Agent;
  https: https.Agent;
}

/** Builds keep-alive agents for upstream requests. */
export function createUpstreamAgents(): UpstreamAgents {
  const options = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: 256, maxFreeSockets: 64, scheduling: 'lifo' as const };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

/** POSTs `body` to `url`; resolves with the response once its headers arrive, rejects on connection errors. */
export function postUpstream(
  agents: UpstreamAgents,
  url: URL,
  headers: Record<string, string | number>,
  body: Buffer,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).request(url, {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers,
      signal,
    });
    request.once('response', resolve);
    request.once('error', reject);
    request.end(body);
  });
}
