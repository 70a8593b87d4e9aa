// Proxies one chat completion along its route plan: tries backends in order (retries go to the next
// candidate), walks fallbacks, relays JSON or SSE, enforces deadlines, and keeps every backend's
// pending count exact by decrementing it in `finally`.

import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ChatExchange } from '../gateway/chat-exchange.js';
import type { Backend } from '../registry/backend.js';
import type { RoutePlan } from '../routing/router.js';
import { GatewayError } from '../server/gateway-error.js';
import { SseUsageScanner } from './sse-usage.js';
import { buildUpstreamBody, clientAskedUsage } from './upstream-body.js';
import { postUpstream, responseOf, upstreamTarget, type UpstreamAgents, type UpstreamTarget } from './upstream-request.js';

/** Settings of the proxy. */
export interface ChatProxyOptions {
  agents: UpstreamAgents;
  requestTimeoutMs: number;
  streamIdleTimeoutMs: number;
  maxRetries: number;
  /** Ask streaming backends for usage (stripped again if the client did not ask), so tokens are counted. */
  collectStreamUsage: boolean;
  env: NodeJS.ProcessEnv;
}

/** The parsed client body: a JSON object with at least a string `model`. */
export type ChatBody = Record<string, unknown> & { model: string };

type AttemptResult = 'done' | 'retry';

// Per-request state shared by the attempts: the deadline and client-abort flags and the attempt
// currently in flight, so either event can abort exactly that upstream request.
class RequestState {
  timedOut = false;
  clientGone = false;
  streaming = false;
  // Destroying the request aborts it: cheaper than an AbortController per attempt (1.6% of the
  // profile under load went to creating signals and their listeners).
  current: ClientRequest | null = null;
  lastFailure: GatewayError | null = null;
}

const CHAT_PATH = '/v1/chat/completions';

/** Proxies chat completions to backends. */
export class ChatProxy {
  private readonly options: ChatProxyOptions;
  private readonly targets = new Map<Backend, UpstreamTarget>();

  /** Builds a proxy with shared keep-alive agents. */
  constructor(options: ChatProxyOptions) {
    this.options = options;
  }

  /** Serves the request along the plan; on failure throws a GatewayError (the caller answers with it). */
  async forward(ex: ChatExchange, body: ChatBody, raw: Buffer, plan: RoutePlan, clientHeaders: IncomingHttpHeaders, res: ServerResponse): Promise<void> {
    const state = new RequestState();
    const deadline = setTimeout(() => {
      if (state.streaming) return;
      state.timedOut = true;
      abort(state.current);
    }, this.options.requestTimeoutMs);
    const onClose = (): void => {
      if (res.writableFinished) return;
      state.clientGone = true;
      abort(state.current);
    };
    res.on('close', onClose);
    const stripUsage = this.options.collectStreamUsage && body.stream === true && !clientAskedUsage(body);
    try {
      for (const step of plan.steps) {
        const upstreamBody = buildUpstreamBody(raw, body, step.model, this.options.collectStreamUsage);
        let attempts = 0;
        for (const backend of step.backends) {
          if (attempts > this.options.maxRetries) break;
          attempts++;
          ex.backend = backend.name;
          ex.model = step.model;
          ex.fallbackFrom = step.model === plan.resolvedModel ? null : plan.resolvedModel;
          const result = await this.attempt(ex, backend, upstreamBody, clientHeaders, res, state, stripUsage);
          if (result === 'done') return;
          if (state.clientGone) return;
          if (state.timedOut) throw new GatewayError('timeout', `Request timed out after ${this.options.requestTimeoutMs / 1000} s`);
        }
      }
      ex.model = plan.resolvedModel;
      ex.fallbackFrom = null;
      throw state.lastFailure ?? new GatewayError('backend_error', 'No backend could serve the request');
    } finally {
      clearTimeout(deadline);
      res.off('close', onClose);
    }
  }

  private upstreamHeaders(ex: ChatExchange, backend: Backend, body: Buffer, clientHeaders: IncomingHttpHeaders): Record<string, string | number> {
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': body.length,
      accept: ex.stream ? 'text/event-stream' : 'application/json',
      'x-request-id': ex.requestId,
    };
    const key = backend.apiKeyEnv === null ? undefined : this.options.env[backend.apiKeyEnv];
    if (key) headers.authorization = `Bearer ${key}`;
    else if (typeof clientHeaders.authorization === 'string') headers.authorization = clientHeaders.authorization;
    return headers;
  }

  private async attempt(
    ex: ChatExchange,
    backend: Backend,
    body: Buffer,
    clientHeaders: IncomingHttpHeaders,
    res: ServerResponse,
    state: RequestState,
    stripUsage: boolean,
  ): Promise<AttemptResult> {
    backend.pending++;
    const started = performance.now();
    let request: ClientRequest | null = null;
    try {
      let upstream: IncomingMessage;
      try {
        // Inside the try: node:http throws synchronously on a header it refuses (say, an API key
        // with a line break), and that is this backend failing, not the gateway.
        request = postUpstream(this.options.agents, this.targetOf(backend), this.upstreamHeaders(ex, backend, body, clientHeaders), body);
        state.current = request;
        upstream = await responseOf(request);
      } catch (error) {
        state.lastFailure = new GatewayError('backend_error', `Backend ${backend.name} failed: ${describe(error)}`);
        return 'retry';
      }
      backend.recordLatency(performance.now() - started);
      const status = upstream.statusCode ?? 502;
      if (status >= 500) {
        upstream.resume();
        state.lastFailure = new GatewayError('backend_error', `Backend ${backend.name} answered ${status}`);
        return 'retry';
      }
      if (ex.stream && status >= 200 && status < 300) return await this.relayStream(ex, backend, upstream, res, state, stripUsage);
      return await this.relayJson(ex, upstream, res, state);
    } finally {
      backend.pending--;
      ex.upstreamMs += performance.now() - started;
      if (state.current === request) state.current = null;
    }
  }

  private targetOf(backend: Backend): UpstreamTarget {
    let target = this.targets.get(backend);
    if (target === undefined) this.targets.set(backend, (target = upstreamTarget(backend.url, CHAT_PATH)));
    return target;
  }

  private async relayJson(ex: ChatExchange, upstream: IncomingMessage, res: ServerResponse, state: RequestState): Promise<AttemptResult> {
    let bytes: Buffer;
    try {
      bytes = await readAll(upstream);
    } catch (error) {
      state.lastFailure = new GatewayError('backend_error', `Backend ${ex.backend} broke off its answer: ${describe(error)}`);
      return 'retry';
    }
    const status = upstream.statusCode ?? 502;
    if (status >= 200 && status < 300) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new GatewayError('invalid_backend_response', `Backend ${ex.backend} returned a response that is not valid JSON`);
      }
      const usage = (parsed as { usage?: Record<string, unknown> } | null)?.usage;
      if (usage !== null && typeof usage === 'object') {
        if (typeof usage.prompt_tokens === 'number') ex.promptTokens = usage.prompt_tokens;
        if (typeof usage.completion_tokens === 'number') ex.completionTokens = usage.completion_tokens;
      }
    }
    // 2xx and 4xx alike pass through unchanged: status, content type and bytes.
    ex.settle(status, status >= 200 && status < 300 ? null : status >= 400 && status < 500 ? 'invalid_request' : 'other');
    res.writeHead(status, {
      ...responseHeaders(ex),
      'content-type': upstream.headers['content-type'] ?? 'application/json',
      'content-length': bytes.length,
    });
    res.end(bytes);
    return 'done';
  }

  private relayStream(ex: ChatExchange, backend: Backend, upstream: IncomingMessage, res: ServerResponse, state: RequestState, stripUsage: boolean): Promise<AttemptResult> {
    const scanner = new SseUsageScanner(stripUsage);
    const status = upstream.statusCode ?? 200;
    const headers = {
      ...responseHeaders(ex),
      'content-type': upstream.headers['content-type'] ?? 'text/event-stream',
      'cache-control': 'no-cache',
    };
    return new Promise((resolve) => {
      let started = false;
      let ended = false;
      let idleExpired = false;
      const idle = setTimeout(() => {
        idleExpired = true;
        upstream.destroy(new Error('stream idle timeout'));
      }, this.options.streamIdleTimeoutMs);
      const start = (): void => {
        started = true;
        state.streaming = true;
        ex.firstByteMs = performance.now() - ex.startedAt;
        res.writeHead(status, headers);
      };
      const finish = (result: AttemptResult): void => {
        if (ended) return;
        ended = true;
        clearTimeout(idle);
        resolve(result);
      };
      upstream.on('data', (chunk: Buffer) => {
        idle.refresh();
        const out = scanner.feed(chunk);
        if (out.length === 0) return;
        if (!started) start();
        // Back-pressure: stop reading the backend while the client's socket buffer is full.
        if (!res.write(out)) {
          upstream.pause();
          res.once('drain', () => upstream.resume());
        }
      });
      upstream.on('end', () => {
        const rest = scanner.flush();
        if (!started) start();
        ex.promptTokens = scanner.promptTokens;
        ex.completionTokens = scanner.completionTokens;
        ex.settle(status, null);
        res.end(rest);
        finish('done');
      });
      upstream.on('close', () => {
        if (ended || upstream.complete) return;
        if (state.clientGone) return finish('done');
        if (!started) {
          // Nothing reached the client yet, so another backend may still serve it.
          state.lastFailure = new GatewayError('backend_error', `Backend ${backend.name} closed the stream before any data`);
          return finish('retry');
        }
        const error = idleExpired
          ? new GatewayError('timeout', `Backend ${backend.name} sent nothing for ${this.options.streamIdleTimeoutMs / 1000} s`)
          : new GatewayError('stream_interrupted', `Backend ${backend.name} broke off the stream`);
        ex.settle(error.status, error.errorType);
        // Headers are gone: tell the client in-band, the way OpenAI streams report errors, then end.
        res.end(`data: ${JSON.stringify(error.toJSON())}\n\n`);
        finish('done');
      });
      upstream.on('error', () => {
        /* handled by 'close' */
      });
    });
  }
}

function abort(request: ClientRequest | null): void {
  if (request !== null) request.destroy(Object.assign(new Error('aborted'), { name: 'AbortError' }));
}

function responseHeaders(ex: ChatExchange): Record<string, string> {
  const headers: Record<string, string> = { 'x-nexus-backend': ex.backend, 'x-nexus-model': ex.model, 'x-request-id': ex.requestId };
  if (ex.fallbackFrom !== null) headers['x-nexus-fallback-model'] = ex.model;
  return headers;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    stream.on('close', () => {
      if (!stream.complete) reject(new Error('connection closed before the response was complete'));
    });
  });
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.name === 'AbortError') return 'aborted';
  return e?.code ?? e?.message ?? String(error);
}
