// The floors the gateway is measured against, each as little code as node:http allows: a bare pipe
// relay (streams) and a minimal JSON proxy (parse, swap the model, forward, parse the reply, send it).

import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// Unlimited sockets: the floor must have no queue of its own.
const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });

function forward(backendUrl: URL, incoming: IncomingMessage, body: Buffer | null, onResponse: (upstream: IncomingMessage) => void): ReturnType<typeof request> {
  const headers = { ...incoming.headers, host: backendUrl.host };
  if (body !== null) headers['content-length'] = String(body.length);
  const upstream = request({ host: backendUrl.hostname, port: backendUrl.port, method: incoming.method, path: incoming.url, headers, agent }, onResponse);
  return upstream;
}

/** A started reference server. */
export interface ReferenceServer {
  port: number;
  /** Stops listening and cuts every connection. */
  close(): Promise<void>;
}

async function listen(server: Server): Promise<ReferenceServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Starts the bare pipe relay: request and response bodies piped through unchanged. */
export function startPipeRelay(backendUrl: string): Promise<ReferenceServer> {
  const target = new URL(backendUrl);
  const server = createServer((req, res) => {
    const upstream = forward(target, req, null, (response) => {
      res.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  return listen(server);
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function relayJson(response: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const reply = await readAll(response);
    JSON.parse(reply.toString('utf8'));
    res.writeHead(response.statusCode ?? 502, { 'content-type': 'application/json', 'content-length': reply.length });
    res.end(reply);
  } catch {
    res.destroy();
  }
}

/** Starts the minimal JSON proxy; `models` maps a requested model to the one sent upstream. */
export function startJsonProxy(backendUrl: string, models: ReadonlyMap<string, string> = new Map()): Promise<ReferenceServer> {
  const target = new URL(backendUrl);
  const server = createServer((req, res) => {
    void (async () => {
      const body = JSON.parse((await readAll(req)).toString('utf8')) as { model?: string };
      body.model = models.get(String(body.model)) ?? body.model;
      const payload = Buffer.from(JSON.stringify(body));
      const upstream = forward(target, req, payload, (response) => void relayJson(response, res));
      upstream.on('error', () => res.destroy());
      upstream.end(payload);
    })().catch(() => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"proxy error"}}');
    });
  });
  return listen(server);
}
