// The soak's traffic: every kind of request and client behaviour the gateway must survive, each a
// function that resolves when the exchange is over (never rejects). Backends misbehave through the
// simulator's modes; clients misbehave here (slow uploads, aborts, slow readers).

import http from 'node:http';
import net from 'node:net';

/** A kind of request of the mix. */
export type TrafficKind =
  | 'json' | 'stream' | 'alias' | 'fallback' | 'backend-500' | 'garbage' | 'hang' | 'hang-after-headers' | 'busy-429' | 'busy-503'
  | 'flapping' | 'backend-400' | 'cut-stream' | 'cut-before-data' | 'unknown-model' | 'invalid-json' | 'slow-reader' | 'long-stream-slow-reader'
  | 'abort-stream' | 'abort-waiting' | 'abort-upload' | 'slow-upload' | 'too-slow-upload';

/** Every kind, in the order the mix cycles through them. */
export const TRAFFIC_KINDS: readonly TrafficKind[] = [
  'json', 'stream', 'alias', 'fallback', 'backend-500', 'garbage', 'hang', 'hang-after-headers', 'busy-429', 'busy-503',
  'flapping', 'backend-400', 'cut-stream', 'cut-before-data', 'unknown-model', 'invalid-json', 'slow-reader', 'long-stream-slow-reader',
  'abort-stream', 'abort-waiting', 'abort-upload', 'slow-upload', 'too-slow-upload',
];

/** The model each backend-driven kind asks for (the soak's fleet serves them). */
export const SOAK_MODELS = {
  ok: 'llama3:8b', streamy: 'qwen2:7b', alias: 'gpt-4', fallback: 'retired-model', flaky: 'flaky', garbage: 'garbage', hang: 'hang',
  afterHeaders: 'after-headers', busy429: 'busy-429', busy503: 'busy-503', flapping: 'flapping', picky: 'picky', long: 'long',
  cut: 'cut', cutEarly: 'cut-early',
} as const;

function body(model: string, stream = false): string {
  return JSON.stringify({ model, messages: [{ role: 'user', content: 'soak' }], stream });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sends a complete request over the shared keep-alive agent and reads the answer (slowly if asked). */
function post(port: number, agent: http.Agent, payload: string, options: { readPauseMs?: number; abortAfterFirstByte?: boolean; abortAfterMs?: number } = {}): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request({ method: 'POST', host: '127.0.0.1', port, path: '/v1/chat/completions', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      res.on('data', () => {
        if (options.abortAfterFirstByte === true) return void req.destroy();
        if (options.readPauseMs !== undefined) {
          res.pause();
          setTimeout(() => res.resume(), options.readPauseMs);
        }
      });
      res.on('end', () => resolve());
      res.on('close', () => resolve());
      res.on('error', () => resolve());
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    if (options.abortAfterMs !== undefined) setTimeout(() => req.destroy(), options.abortAfterMs);
    req.end(payload);
  });
}

/** Sends a request over its own socket: headers, then the body in `pieces` spread over `spreadMs`; `endEarly` half-closes mid-body. */
async function upload(port: number, payload: string, pieces: number, spreadMs: number, endEarly: boolean): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  const done = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('data', () => {});
  socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n`);
  const step = Math.ceil(payload.length / pieces);
  for (let i = 0; i < payload.length; i += step) {
    if (endEarly && i + step >= payload.length) {
      // Half-close with the body unfinished: the data before it is delivered, so the request counts.
      socket.end();
      break;
    }
    await delay(spreadMs / pieces);
    if (socket.destroyed) break;
    socket.write(payload.slice(i, i + step));
  }
  await done;
}

/** Runs one exchange of the given kind against the gateway on `port`. */
export function runTraffic(kind: TrafficKind, port: number, agent: http.Agent): Promise<void> {
  const m = SOAK_MODELS;
  switch (kind) {
    case 'json': return post(port, agent, body(m.ok));
    case 'stream': return post(port, agent, body(m.streamy, true));
    case 'alias': return post(port, agent, body(m.alias, true));
    case 'fallback': return post(port, agent, body(m.fallback));
    case 'backend-500': return post(port, agent, body(m.flaky));
    case 'garbage': return post(port, agent, body(m.garbage));
    case 'hang': return post(port, agent, body(m.hang));
    case 'hang-after-headers': return post(port, agent, body(m.afterHeaders, true));
    case 'busy-429': return post(port, agent, body(m.busy429));
    case 'busy-503': return post(port, agent, body(m.busy503, true));
    case 'flapping': return post(port, agent, body(m.flapping));
    case 'backend-400': return post(port, agent, body(m.picky));
    case 'cut-stream': return post(port, agent, body(m.cut, true));
    case 'cut-before-data': return post(port, agent, body(m.cutEarly, true));
    case 'unknown-model': return post(port, agent, body(`soak-unknown-${Math.random()}`));
    case 'invalid-json': return post(port, agent, '{"model": "llama3:8b", ');
    case 'slow-reader': return post(port, agent, body(m.streamy, true), { readPauseMs: 30 });
    case 'long-stream-slow-reader': return post(port, agent, body(m.long, true), { readPauseMs: 2 });
    case 'abort-stream': return post(port, agent, body(m.streamy, true), { abortAfterFirstByte: true });
    case 'abort-waiting': return post(port, agent, body(m.hang), { abortAfterMs: 150 });
    case 'abort-upload': return upload(port, body(m.ok), 4, 100, true);
    case 'slow-upload': return upload(port, body(m.ok), 5, 200, false);
    case 'too-slow-upload': return upload(port, body(m.ok), 3, 1800, false);
  }
}
