// A simulated LLM server that behaves like Ollama, vLLM (OpenAI-compatible) or llama.cpp on
// loopback, and can be told to misbehave: 5xx, busy 429/503, flapping, hang (before or after the
// headers), garbage, die mid-stream, go down and return.
// The integration tests, the demo and the load benchmark all use it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { writePacedStream } from './paced-stream.js';
import { buildCompletion, buildStreamBytes, countCompletionTokens, PROMPT_TOKENS, REPLY_TEXT, sendJson as json, sendProbeAnswer } from './simulated-replies.js';
import { writeSlicedStream } from './sliced-stream.js';

export { REPLY_TEXT } from './simulated-replies.js';

/** Which real server this one imitates. */
export type SimulatedType = 'ollama' | 'vllm' | 'llamacpp';

/**
 * How chat requests are answered. `hang`: never a byte; `hang-after-headers`: a 200 head, then
 * nothing; `busy429`/`busy503`: "come back later" with Retry-After; `flapping`: runs of `flapRun`
 * requests answered 500, then as many answered normally, and so on.
 */
export type SimulatedMode =
  | 'ok'
  | 'error500'
  | 'status400'
  | 'hang'
  | 'hang-after-headers'
  | 'busy429'
  | 'busy503'
  | 'flapping'
  | 'garbage'
  | 'die-mid-stream'
  | 'die-before-data';

/** Options of a simulated backend. */
export interface SimulatedBackendOptions {
  type: SimulatedType;
  models: string[];
  /** Delay before answering a chat request, ms. */
  latencyMs?: number;
  /** Delay between streamed chunks, ms. */
  chunkDelayMs?: number;
  /** Stream exactly this many chunks, one SSE event per write, paced by `chunkDelayMs` without drift (load benchmarks); 0: 37-byte slices. */
  streamChunks?: number;
  /** Probability (0..1) that a chat request gets a 500, for flaky demo backends. */
  failureRate?: number;
  /** Initial mode (default `ok`). */
  mode?: SimulatedMode;
  /** Length of each failing and each working run in `flapping` mode (default 3). */
  flapRun?: number;
  /** Port to bind (0 = any). */
  port?: number;
  /** Keep every chat request in `received` (default true); long-running demos and benchmarks turn it off. */
  recordRequests?: boolean;
}

/** A chat request as the simulated backend received it. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  /** The body exactly as it arrived. */
  raw: string;
}

/** A running simulated backend. */
export class SimulatedBackend {
  /** Chat requests received, oldest first (empty when `recordRequests` is false). */
  readonly received: ReceivedRequest[] = [];
  /** Chat requests received so far, recorded or not. */
  chatRequests = 0;
  /** Health probes received. */
  probes = 0;
  /** TCP connections accepted so far (shows whether clients reuse connections). */
  connections = 0;
  mode: SimulatedMode;
  /** Run length of `flapping` mode. */
  flapRun: number;
  /** How many times a stream repeats the reply: large values make long, fast streams (back-pressure tests). */
  streamRepeat = 1;
  /** Bytes per write of a stream; small by default so multi-byte characters are cut across writes. */
  streamSliceBytes = 37;
  models: string[];
  latencyMs: number;
  chunkDelayMs: number;
  failureRate: number;
  streamChunks: number;
  readonly type: SimulatedType;
  private readonly recordRequests: boolean;
  private server: Server;
  private readonly sockets = new Set<Socket>();
  private port: number;
  private readonly hanging = new Set<ServerResponse>();

  private constructor(options: SimulatedBackendOptions) {
    this.type = options.type;
    this.models = [...options.models];
    this.latencyMs = options.latencyMs ?? 0;
    this.chunkDelayMs = options.chunkDelayMs ?? 0;
    this.failureRate = options.failureRate ?? 0;
    this.mode = options.mode ?? 'ok';
    this.flapRun = options.flapRun ?? 3;
    this.streamChunks = options.streamChunks ?? 0;
    this.port = options.port ?? 0;
    this.recordRequests = options.recordRequests ?? true;
    this.server = this.createHttpServer();
  }

  /** Starts a simulated backend on loopback. */
  static async start(options: SimulatedBackendOptions): Promise<SimulatedBackend> {
    const backend = new SimulatedBackend(options);
    await backend.listen();
    return backend;
  }

  /** Base URL, e.g. http://127.0.0.1:40123. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Goes down: closes the listener and every connection. */
  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Comes back on the same port. */
  async restart(): Promise<void> {
    this.server = this.createHttpServer();
    await this.listen();
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private createHttpServer(): Server {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    if (req.method === 'GET') return this.probe(url, res);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || url !== '/v1/chat/completions') return json(res, 404, { error: { message: 'not found' } });
    let body: Record<string, unknown>;
    const raw = Buffer.concat(chunks).toString('utf8');
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return json(res, 400, { error: { message: 'invalid json', type: 'invalid_request_error' } });
    }
    this.chatRequests++;
    if (this.recordRequests) this.received.push({ path: url, headers: req.headers, body, raw });
    if (this.latencyMs > 0) await delay(this.latencyMs);
    const model = String(body.model);
    if (this.mode === 'hang' || this.mode === 'hang-after-headers') {
      if (this.mode === 'hang-after-headers') res.writeHead(200, { 'content-type': body.stream === true ? 'text/event-stream' : 'application/json' }).flushHeaders();
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (this.mode === 'busy429') return json(res, 429, { error: { message: 'simulated: too many requests', type: 'rate_limit_error' } }, { 'retry-after': '7' });
    if (this.mode === 'busy503') return json(res, 503, { error: { message: 'simulated: queue full', type: 'server_error' } }, { 'retry-after': '3' });
    const flapFailing = this.mode === 'flapping' && Math.floor((this.chatRequests - 1) / this.flapRun) % 2 === 0;
    if (this.mode === 'error500' || flapFailing || (this.failureRate > 0 && Math.random() < this.failureRate)) {
      return json(res, 500, { error: { message: 'simulated internal error', type: 'server_error' } });
    }
    if (this.mode === 'status400') return json(res, 400, { error: { message: 'simulated bad request', type: 'invalid_request_error', param: 'messages' } });
    if (!this.models.includes(model)) return json(res, 404, { error: { message: `model '${model}' not found`, type: 'not_found_error' } });
    if (this.mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "chatcmpl-broken", "choices": [ this is not json');
      return;
    }
    if (body.stream === true) return this.stream(body, model, res);
    json(res, 200, buildCompletion(body, model));
  }

  private async stream(body: Record<string, unknown>, model: string, res: ServerResponse): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (this.mode === 'die-before-data') {
      res.socket?.destroy();
      return;
    }
    if (this.streamChunks > 0) {
      const base = { id: 'chatcmpl-sim', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
      const options = body.stream_options as { include_usage?: boolean } | undefined;
      const usage = { prompt_tokens: PROMPT_TOKENS, completion_tokens: countCompletionTokens(), total_tokens: PROMPT_TOKENS + countCompletionTokens() };
      const words = REPLY_TEXT.split(/(?<= )/);
      return writePacedStream(res, { chunks: this.streamChunks, intervalMs: this.chunkDelayMs, base, words, usage: options?.include_usage === true ? usage : null });
    }
    // Written in slices that cut through multi-byte characters, as real TCP segments may.
    return writeSlicedStream(res, buildStreamBytes(body, model, this.streamRepeat), this);
  }

  private probe(url: string, res: ServerResponse): void {
    this.probes++;
    sendProbeAnswer(res, this.type, this.models, url);
  }
}
