// Proxies one chat completion along its route plan: tries backends in order (retries go to the next
// candidate), walks fallbacks, enforces the request deadline, each attempt's own timeout and client
// aborts, keeps every backend's pending count exact (decremented in `finally`), reports each attempt
// as it ends and the request as one immutable outcome.

import type { IncomingMessage } from 'node:http';
import { attemptOutcomeForStatus } from '../errors/attempt-outcome.js';
import { GatewayError } from '../errors/gateway-error.js';
import { authorizationFor } from '../fleet/backend-authorization.js';
import type { Backend } from '../fleet/backend.js';
import type { AttemptObserver } from './attempt-record.js';
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
  /** Streams, per attempt: time allowed until the first SSE byte. */
  firstByteTimeoutMs: number;
  /** Non-streaming, per attempt: time allowed for the complete answer. */
  attemptTimeoutMs: number;
  maxRetries: number;
  /** Largest non-streaming upstream answer buffered; larger ones fail the attempt. */
  maxResponseBytes: number;
  /** Ask streaming backends for usage (stripped again if the client did not ask), so tokens are counted. */
  collectStreamUsage: boolean;
  /** Environment the backends' API keys are read from. */
  env: NodeJS.ProcessEnv;
  /** Hears every attempt as it ends (metrics, outlier ejection); null: nobody listens. */
  attemptObserver: AttemptObserver | null;
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
          state.route = { backend: backend.name, model: step.model, fallbackFrom, known: step.known };
          const result = await this.attempt(request, state, backend, upstreamBody, stripUsage);
          if (result === 'done') return state.toOutcome(state.streaming ? 'streamed' : 'answered');
          if (state.clientGone) return state.toOutcome('abandoned');
          if (state.timedOut) {
            state.failAttempt('timeout', new GatewayError('timeout', `Request timed out after ${this.options.requestTimeoutMs / 1000} s`));
            return state.toOutcome('failed');
          }
        }
      }
      // Every candidate failed: the last failure decides. A busy 429/503 passes through as it came.
      if (state.lastFailureBusy) return state.toOutcome('answered');
      // No backend answered: the request is recorded against the resolved model and the last backend tried.
      if (state.route !== null) state.route = { backend: state.route.backend, model: plan.resolvedModel, fallbackFrom: null, known: plan.known };
      state.failure ??= new GatewayError('backend_error', 'No backend could serve the request');
      return state.toOutcome('failed');
    } finally {
      clearTimeout(deadline);
      res.off('close', onClose);
    }
  }

  private async attempt(request: ProxyRequest, state: RequestState, backend: Backend, body: Buffer, stripUsage: boolean): Promise<AttemptResult> {
    backend.pending++;
    const started = performance.now();
    const stream = request.body.stream === true;
    const timeoutMs = stream ? this.options.firstByteTimeoutMs : this.options.attemptTimeoutMs;
    state.beginAttempt();
    let upstreamRequest = null;
    // Until the agent hands the request a socket it waits in the backend's queue (max_connections):
    // counted in nexus_upstream_queued, and gateway time, not backend time; the attempt's own timer
    // and its first-byte time start when it is sent.
    let waiting = false;
    let sentAt = -1;
    const onSocket = (): void => {
      if (!waiting) return;
      waiting = false;
      backend.queued--;
      sentAt = performance.now();
      state.armAttempt(timeoutMs);
    };
    let result: AttemptResult = 'retry';
    let status = 0;
    try {
      let upstream: IncomingMessage;
      try {
        // Inside the try: node:http throws synchronously on a header it refuses (say, an API key
        // with a line break), and that is this backend failing, not the gateway.
        const headers = buildUpstreamHeaders(request.requestId, stream, body, authorizationFor(backend, this.options.env), request.clientHeaders);
        const target = this.targetOf(backend);
        upstreamRequest = postUpstream(this.options.agents.agentFor(backend.name, target.secure, backend.maxConnections), target, headers, body);
        state.current = upstreamRequest;
        waiting = true;
        backend.queued++;
        upstreamRequest.once('socket', onSocket);
        upstream = await awaitResponse(upstreamRequest);
      } catch (error) {
        state.failAttempt('connect_error', new GatewayError('backend_error', `Backend ${backend.name} failed: ${describeUpstreamError(error)}`));
        return result;
      }
      backend.recordLatency(performance.now() - sentAt);
      status = upstream.statusCode ?? 502;
      const relaysStream = stream && status >= 200 && status < 300;
      // A stream's first byte is its first SSE byte (the relay notes it); an answer's is its head.
      if (!relaysStream) state.attemptFirstByteAt = performance.now();
      if (attemptOutcomeForStatus(status) === 'server_error') {
        upstream.resume();
        state.failAttempt('server_error', new GatewayError('backend_error', `Backend ${backend.name} answered ${status}`));
        return result;
      }
      result = relaysStream
        ? await relayStream(request, state, upstream, this.options.streamIdleTimeoutMs, stripUsage)
        : await relayJson(state, backend.name, upstream, this.options.maxResponseBytes, request.lease);
      return result;
    } finally {
      if (waiting) {
        waiting = false;
        backend.queued--;
      }
      state.disarmAttempt();
      backend.pending--;
      if (state.current === upstreamRequest) state.current = null;
      this.finishAttempt(request, state, backend, started, sentAt, result, status, timeoutMs / 1000, stream);
    }
  }

  // Settles how the attempt ended (an abort outranks what the relay saw) and reports it.
  private finishAttempt(request: ProxyRequest, state: RequestState, backend: Backend, started: number, sentAt: number, result: AttemptResult, status: number, timeoutSeconds: number, stream: boolean): void {
    const now = performance.now();
    let outcome = state.attemptOutcome;
    if (state.clientGone) outcome = 'cancelled';
    else if (result !== 'done' && state.attemptTimedOut) {
      const what = stream ? 'sent no first byte' : 'did not answer';
      state.failAttempt('timeout', new GatewayError('timeout', `Backend ${backend.name} ${what} within ${timeoutSeconds} s`));
      outcome = 'timeout';
    } else if (result !== 'done' && state.timedOut) outcome = 'timeout';
    const firstByteAt = state.attemptFirstByteAt;
    // A stream's wait on the backend ends at its first byte: relaying it afterwards is not waiting.
    const streamedHere = state.streaming && state.firstByteAt >= started;
    if (sentAt >= 0) state.upstreamMs += Math.max(0, (streamedHere ? state.firstByteAt : now) - sentAt);
    const record = Object.freeze({
      requestId: request.requestId,
      backend,
      outcome,
      status,
      firstByteMs: firstByteAt < 0 || sentAt < 0 ? -1 : firstByteAt - sentAt,
      durationMs: now - started,
    });
    state.attempts.push(record);
    this.options.attemptObserver?.attemptFinished(record);
  }

  private targetOf(backend: Backend): UpstreamTarget {
    let target = this.targets.get(backend);
    if (target === undefined) this.targets.set(backend, (target = parseUpstreamTarget(backend.url, CHAT_PATH)));
    return target;
  }
}
