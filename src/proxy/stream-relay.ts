// A streaming answer: SSE bytes relayed to the client as they come, with back-pressure, usage
// scanned (and stripped when the gateway asked for it), and the idle timeout between chunks.
// Nothing reaches the client before the first byte, so until then another backend may still serve.

import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';
import type { ProxyRequest } from './proxy-outcome.js';
import type { AttemptResult, RequestState } from './request-state.js';
import { SseUsageScanner } from './sse-usage.js';

/**
 * Relays one upstream SSE stream to the client; resolves when it ended one way or another. Until the
 * first byte the attempt's own (first-byte) timer runs; from then on the idle timer, which never runs
 * while the client is not reading (back-pressure is not backend silence, SPEC 2.2).
 */
export function relayStream(request: ProxyRequest, state: RequestState, upstream: IncomingMessage, idleTimeoutMs: number, stripUsage: boolean): Promise<AttemptResult> {
  const { res } = request;
  const route = state.route;
  const backend = route === null ? 'unknown' : route.backend;
  const scanner = new SseUsageScanner(stripUsage);
  const status = upstream.statusCode ?? 200;
  const contentType = upstream.headers['content-type'] ?? 'text/event-stream';
  return new Promise((resolve) => {
    let started = false;
    let ended = false;
    let idleExpired = false;
    let paused = false;
    let idle: NodeJS.Timeout | null = null;
    const onIdle = (): void => {
      if (paused) return; // re-armed on 'drain'
      idleExpired = true;
      upstream.destroy(new Error('stream idle timeout'));
    };
    const onDrain = (): void => {
      paused = false;
      idle?.refresh();
      upstream.resume();
    };
    const start = (): void => {
      started = true;
      state.disarmAttempt(); // the first byte came in time: from here the idle timeout applies
      idle = setTimeout(onIdle, idleTimeoutMs);
      state.streaming = true;
      state.failure = null; // earlier attempts' failures no longer decide anything
      state.lastFailureBusy = false;
      state.firstByteAt = performance.now();
      state.status = status;
      if (route !== null) request.writeStreamHead(route, status, contentType);
    };
    const finish = (result: AttemptResult): void => {
      if (ended) return;
      ended = true;
      if (idle !== null) clearTimeout(idle);
      res.off('drain', onDrain);
      state.promptTokens = scanner.promptTokens;
      state.completionTokens = scanner.completionTokens;
      resolve(result);
    };
    upstream.on('data', (chunk: Buffer) => {
      if (state.attemptFirstByteAt < 0) state.attemptFirstByteAt = performance.now();
      const out = scanner.feed(chunk);
      if (out.length === 0) return;
      if (!started) start();
      else idle?.refresh();
      // Back-pressure: stop reading the backend while the client's socket buffer is full.
      if (!res.write(out) && !paused) {
        paused = true;
        upstream.pause();
        res.once('drain', onDrain);
      }
    });
    upstream.on('end', () => {
      const rest = scanner.flush();
      if (!started) start();
      res.end(rest);
      state.attemptOutcome = 'success';
      finish('done');
    });
    upstream.on('close', () => {
      if (ended || upstream.complete) return;
      if (state.clientGone) return finish('done');
      if (!started) {
        // Nothing reached the client yet, so another backend may still serve it.
        state.failAttempt('interrupted', new GatewayError('backend_error', `Backend ${backend} closed the stream before any data`));
        return finish('retry');
      }
      const error = idleExpired
        ? new GatewayError('timeout', `Backend ${backend} sent nothing for ${idleTimeoutMs / 1000} s`)
        : new GatewayError('stream_interrupted', `Backend ${backend} broke off the stream`);
      state.failAttempt(idleExpired ? 'timeout' : 'interrupted', error);
      state.status = error.status;
      // Headers are gone: tell the client in-band, the way OpenAI streams report errors, then end.
      res.end(`data: ${JSON.stringify(error.toJSON())}\n\n`);
      finish('done');
    });
    upstream.on('error', () => {
      /* handled by 'close' */
    });
  });
}
