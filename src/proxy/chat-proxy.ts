// Proxies one chat completion along its route plan: tries backends in order (retries go to the next
// candidate), walks fallbacks, enforces the request deadline and client aborts, keeps every
// backend's pending count exact (decremented in `finally`), and reports one immutable outcome.

import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';
import { authorizationFor } from '../fleet/backend-authorization.js';
import type { Backend } from '../fleet/backend.js';
import { relayJson, describeUpstreamError } from './json-relay.js';
import type { ProxyOutcome, ProxyRequest } from './proxy-outcome.js';
import { RequestState, type AttemptResult } from './request-state.js';
import { relayStream } from './stream-relay.js';
import { buildUpstreamBody, clientAskedUsage } from './upstream-body.js';
import { awaitResponse, buildUpstreamHeaders, parseUpstreamTarget, postUpstream, type UpstreamAgents, type UpstreamTarget } from './upstream-request.js';

/** Settings of the proxy. */
export interface ChatProxyOptions {
  agents: UpstreamAgents;
  requestTimeoutMs: number;
  streamIdleTimeoutMs: number;
  maxRetries: number;
  /** Largest non-streaming upstream answer buffered; larger ones fail the attempt. */
  maxResponseBytes: number;
  /** Ask streaming backends for usage (stripped again if the client did not ask), so tokens are counted. */
  collectStreamUsage: boolean;
  /** Environment the backends' API keys are read from. */
  env: NodeJS.ProcessEnv;
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

  /** Serves the request along its plan and reports how it ended. Never throws for backend failures. */
  async forward(request: ProxyRequest): Promise<ProxyOutcome> {
    const { body, plan, res } = request;
    const state = new RequestState();
    const deadline = setTimeout(() => {
      if (state.streaming) return;
      state.timedOut = true;
      state.abortCurrent();
    }, this.options.requestTimeoutMs);
    const onClose = (): void => {
      if (res.writableFinished) return;
      state.clientGone = true;
      state.abortCurrent();
    };
    res.on('close', onClose);
    const stripUsage = this.options.collectStreamUsage && body.stream === true && !clientAskedUsage(body);
    try {
      for (const step of plan.steps) {
        const upstreamBody = buildUpstreamBody(request.raw, body, step.model, this.options.collectStreamUsage);
        const fallbackFrom = step.model === plan.resolvedModel ? null : plan.resolvedModel;
        let attempts = 0;
        for (const backend of step.backends) {
          if (attempts > this.options.maxRetries) break;
          attempts++;
          state.route = { backend: backend.name, model: step.model, fallbackFrom };
          const result = await this.attempt(request, state, backend, upstreamBody, stripUsage);
          if (result === 'done') return state.toOutcome(state.streaming ? 'streamed' : 'answered');
          if (state.clientGone) return state.toOutcome('abandoned');
          if (result === 'fail') return state.toOutcome('failed');
          if (state.timedOut) {
            state.failure = new GatewayError('timeout', `Request timed out after ${this.options.requestTimeoutMs / 1000} s`);
            return state.toOutcome('failed');
          }
        }
      }
      // No backend answered: the request is recorded against the resolved model and the last backend tried.
      if (state.route !== null) state.route = { backend: state.route.backend, model: plan.resolvedModel, fallbackFrom: null };
      state.failure ??= new GatewayError('backend_error', 'No backend could serve the request');
      return state.toOutcome('failed');
    } finally {
      clearTimeout(deadline);
      res.off('close', onClose);
    }
  }

  private async attempt(request: ProxyRequest, state: RequestState, backend: Backend, body: Buffer, stripUsage: boolean): Promise<AttemptResult> {
    backend.pending++;
    state.attempts++;
    const started = performance.now();
    const stream = request.body.stream === true;
    let upstreamRequest = null;
    try {
      let upstream: IncomingMessage;
      try {
        // Inside the try: node:http throws synchronously on a header it refuses (say, an API key
        // with a line break), and that is this backend failing, not the gateway.
        const headers = buildUpstreamHeaders(request.requestId, stream, body, authorizationFor(backend, this.options.env), request.clientHeaders);
        upstreamRequest = postUpstream(this.options.agents, this.targetOf(backend), headers, body);
        state.current = upstreamRequest;
        upstream = await awaitResponse(upstreamRequest);
      } catch (error) {
        state.failure = new GatewayError('backend_error', `Backend ${backend.name} failed: ${describeUpstreamError(error)}`);
        return 'retry';
      }
      backend.recordLatency(performance.now() - started);
      const status = upstream.statusCode ?? 502;
      if (status >= 500) {
        upstream.resume();
        state.failure = new GatewayError('backend_error', `Backend ${backend.name} answered ${status}`);
        return 'retry';
      }
      if (stream && status >= 200 && status < 300) return await relayStream(request, state, upstream, this.options.streamIdleTimeoutMs, stripUsage);
      return await relayJson(state, backend.name, upstream, this.options.maxResponseBytes);
    } finally {
      backend.pending--;
      state.upstreamMs += performance.now() - started;
      if (state.current === upstreamRequest) state.current = null;
    }
  }

  private targetOf(backend: Backend): UpstreamTarget {
    let target = this.targets.get(backend);
    if (target === undefined) this.targets.set(backend, (target = parseUpstreamTarget(backend.url, CHAT_PATH)));
    return target;
  }
}
