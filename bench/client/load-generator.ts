// The closed-loop, keep-alive load generator of the gateway benchmark: N connections, each sending
// pre-built request bytes and the next request as soon as the previous response is complete (what
// `wrk -c N` does). Raw sockets instead of node:http keep the generator's own cost per request low,
// so on a 2-core machine it steals as little CPU as possible from the servers it measures.

import { connect, type Socket } from 'node:net';
import { HttpResponseReader } from './http-response-reader.js';

/** Builds the bytes of an HTTP/1.1 request with a JSON body. */
export function buildPostRequest(path: string, body: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(body));
  const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}

/** Builds the bytes of an HTTP/1.1 GET request. */
export function buildGetRequest(path: string, headers: Record<string, string> = {}): Buffer {
  let head = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  return Buffer.from(head + '\r\n', 'latin1');
}

/** One response as the generator saw it. */
export interface ResponseTiming {
  status: number;
  bodyBytes: number;
  /** From the first byte written to the last byte read, ms. */
  ms: number;
}

/** One keep-alive connection that carries one request at a time. */
export class KeepAliveConnection {
  private readonly socket: Socket;
  private readonly reader = new HttpResponseReader();
  private readonly ready: Promise<void>;
  private sentAt = 0;
  private onDone: ((timing: ResponseTiming) => void) | null = null;
  private failure: Error | null = null;
  private onFailure: ((error: Error) => void) | null = null;

  /** Opens the connection (use `opened()` to wait for it). */
  constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port, noDelay: true });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('data', (data: Buffer) => this.onData(data));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  /** Resolves once connected. */
  opened(): Promise<void> {
    return this.ready;
  }

  /** Sends a request; `onDone` gets the timing, `onFailure` any connection or protocol error. */
  send(request: Buffer, onDone: (timing: ResponseTiming) => void, onFailure: (error: Error) => void): void {
    if (this.failure !== null) return onFailure(this.failure);
    this.onDone = onDone;
    this.onFailure = onFailure;
    this.reader.reset();
    this.sentAt = performance.now();
    this.socket.write(request);
  }

  /** Sends a request and waits for the whole response. */
  request(request: Buffer): Promise<ResponseTiming> {
    return new Promise((resolve, reject) => this.send(request, resolve, reject));
  }

  /** Closes the connection. */
  close(): void {
    this.onDone = null;
    this.onFailure = null;
    this.failure = new Error('closed');
    this.socket.destroy();
  }

  private onData(data: Buffer): void {
    let complete: boolean;
    try {
      complete = this.reader.feed(data);
    } catch (error) {
      this.fail(error as Error);
      this.socket.destroy();
      return;
    }
    if (!complete) return;
    const done = this.onDone;
    this.onDone = null;
    done?.({ status: this.reader.status, bodyBytes: this.reader.bodyBytes, ms: performance.now() - this.sentAt });
  }

  private fail(error: Error): void {
    if (this.failure === null) this.failure = error;
    const onFailure = this.onFailure;
    this.onFailure = null;
    if (this.onDone !== null) {
      this.onDone = null;
      onFailure?.(error);
    }
  }
}

/** What a load run sends. */
export interface LoadOptions {
  port: number;
  /** Request bytes, sent in turn (request i goes out as requests[i % length]). */
  requests: readonly Buffer[];
  /** Connections, each with one request in flight. */
  concurrency: number;
  durationMs: number;
}

/** What a load run measured. */
export interface LoadResult {
  /** Responses with a 2xx status. */
  ok: number;
  /** Responses with any other status. */
  failed: number;
  elapsedMs: number;
  /** Latency of every response, ms, in completion order. */
  latenciesMs: Float64Array;
}

/** Runs closed-loop load for `durationMs` and returns every response's latency. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const connections = Array.from({ length: options.concurrency }, () => new KeepAliveConnection(options.port));
  await Promise.all(connections.map((c) => c.opened()));
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let ok = 0;
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const stopAt = started + options.durationMs;
  const { requests } = options;
  try {
    await Promise.all(
      connections.map(
        (connection) =>
          new Promise<void>((resolve, reject) => {
            const onDone = (timing: ResponseTiming): void => {
              if (count === latencies.length) {
                const grown = new Float64Array(latencies.length * 2);
                grown.set(latencies);
                latencies = grown;
              }
              latencies[count++] = timing.ms;
              if (timing.status >= 200 && timing.status < 300) ok++;
              else failed++;
              if (performance.now() < stopAt) connection.send(requests[next++ % requests.length]!, onDone, reject);
              else resolve();
            };
            connection.send(requests[next++ % requests.length]!, onDone, reject);
          }),
      ),
    );
  } finally {
    for (const connection of connections) connection.close();
  }
  return { ok, failed, elapsedMs: performance.now() - started, latenciesMs: latencies.subarray(0, count) };
}

/** What a paced (open-loop) load run sends. */
export interface PacedLoadOptions {
  port: number;
  requests: readonly Buffer[];
  /** Requests started per second, whatever the latency (as real clients arrive). */
  ratePerSecond: number;
  /** Connections available; a request due while all are busy waits for one (see `maxBacklog`). */
  connections: number;
  durationMs: number;
}

/** What a paced run measured; `maxBacklog` is the most requests ever waiting for a free connection (0: always on time). */
export interface PacedLoadResult extends LoadResult {
  maxBacklog: number;
}

/**
 * Runs open-loop load at a fixed rate: unlike the closed loop, it does not saturate the server, so
 * latencies show the cost of each request rather than the queue in front of it.
 */
export async function runPacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const idle = Array.from({ length: options.connections }, () => new KeepAliveConnection(options.port));
  await Promise.all(idle.map((c) => c.opened()));
  const all = [...idle];
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let sent = 0;
  let maxBacklog = 0;
  let failure: Error | null = null;
  const started = performance.now();
  const { requests } = options;
  const due = (): number => Math.floor(((performance.now() - started) * options.ratePerSecond) / 1000);
  const dispatch = (): void => {
    const target = due();
    while (sent < target) {
      const connection = idle.pop();
      if (connection === undefined) {
        maxBacklog = Math.max(maxBacklog, target - sent);
        return;
      }
      sent++;
      connection.send(
        requests[sent % requests.length]!,
        (timing) => {
          latencies.push(timing.ms);
          if (timing.status >= 200 && timing.status < 300) ok++;
          else failed++;
          idle.push(connection);
        },
        (error) => (failure = error),
      );
    }
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (failure !== null || performance.now() - started >= options.durationMs) {
        clearInterval(timer);
        resolve();
        return;
      }
      dispatch();
    }, 1);
  });
  // Let the requests in flight finish before closing their connections.
  while (idle.length < all.length && failure === null) await new Promise((r) => setTimeout(r, 1));
  for (const connection of all) connection.close();
  if (failure !== null) throw failure;
  return { ok, failed, maxBacklog, elapsedMs: performance.now() - started, latenciesMs: Float64Array.from(latencies) };
}
