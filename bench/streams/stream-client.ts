// The stream benchmark's client: N streaming chat requests, each on its own raw socket, opened
// before the clock starts and sent on an even schedule over `rampMs`; records for every stream when
// each SSE chunk arrived. Raw sockets and one shared sample buffer keep it cheap enough to drive
// 10,000 streams on a 2-core machine beside the servers it measures.

import { connect, type Socket } from 'node:net';
import { HttpResponseReader } from '../client/http-response-reader.js';
import { SampleBuffer } from '../report/sample-stats.js';
import { SseEventCounter } from './sse-event-counter.js';

/** What a stream run sends. */
export interface StreamLoadOptions {
  port: number;
  /** The request bytes (a streaming chat completion), the same for every stream. */
  request: Buffer;
  streams: number;
  /** Requests go out evenly over this window (0: all at once). */
  rampMs: number;
  /** SSE events a complete stream carries (`[DONE]` included). */
  expectedEvents: number;
  /** Streams not complete by then fail as `timeout`. */
  timeoutMs: number;
  /** Sockets opened at once while connecting (keeps the server's accept backlog from overflowing). */
  connectBatch?: number;
}

/** Every timing of a stream run; times are `performance.now()` ms. */
export interface StreamLoadResult {
  streams: number;
  completed: number;
  /** Failures by reason: `status 503`, `connection closed`, `timeout`, `events 12 of 51`... */
  failures: Record<string, number>;
  /** Request written -> first complete SSE event, per stream that got one. */
  ttftMs: SampleBuffer;
  /** Time between consecutive reads that completed at least one event, within a stream. */
  gapsMs: SampleBuffer;
  /** Per stream: first chunk (NaN if none) and end, complete or failed, for the concurrency sweep. */
  firstChunkAt: Float64Array;
  endedAt: Float64Array;
  elapsedMs: number;
  /** CPU the client itself used over the run, microseconds (a saturated client would distort everything). */
  clientCpuUs: number;
}

type Finish = (stream: PacedStream, reason: string | null) => void;

// One stream: its socket, response reader and event counter, and when its chunks arrived.
class PacedStream {
  socket: Socket | null = null;
  readonly reader = new HttpResponseReader();
  readonly counter = new SseEventCounter();
  sentAt = 0;
  lastChunkAt = Number.NaN;
  done = false;
  private newEvents = 0;

  constructor(
    readonly index: number,
    private readonly result: StreamLoadResult,
    private readonly expectedEvents: number,
    private readonly finish: Finish,
  ) {
    this.reader.onBody = (data, start, end) => {
      this.newEvents += this.counter.feed(data, start, end);
    };
  }

  /** Connects; resolves once connected or failed. */
  open(port: number): Promise<void> {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    this.socket = socket;
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (error: NodeJS.ErrnoException) => this.finish(this, error.code ?? 'socket error'));
    socket.on('close', () => this.finish(this, 'connection closed'));
    return new Promise((resolve) => {
      socket.once('connect', resolve);
      socket.once('close', resolve);
    });
  }

  send(request: Buffer): void {
    this.sentAt = performance.now();
    this.socket?.write(request);
  }

  private onData(data: Buffer): void {
    const now = performance.now();
    this.newEvents = 0;
    let complete: boolean;
    try {
      complete = this.reader.feed(data);
    } catch (error) {
      return this.finish(this, `malformed response: ${(error as Error).message}`);
    }
    if (this.newEvents > 0) {
      if (Number.isNaN(this.lastChunkAt)) {
        this.result.ttftMs.push(now - this.sentAt);
        this.result.firstChunkAt[this.index] = now;
      } else {
        this.result.gapsMs.push(now - this.lastChunkAt);
      }
      this.lastChunkAt = now;
    }
    if (!complete) return;
    if (this.reader.status !== 200) return this.finish(this, `status ${this.reader.status}`);
    if (this.counter.events !== this.expectedEvents) return this.finish(this, `events ${this.counter.events} of ${this.expectedEvents}`);
    this.finish(this, null);
  }
}

// Connects in batches: thousands of SYNs at once overflow the server's accept backlog (511 in
// Node), and the kernel's retry after a dropped SYN (1 s, then 3 s...) would stall the run.
async function openAll(streams: PacedStream[], port: number, batch: number): Promise<void> {
  for (let i = 0; i < streams.length; i += batch) await Promise.all(streams.slice(i, i + batch).map((stream) => stream.open(port)));
}

/** Runs the streams and returns every timing. */
export async function runStreams(options: StreamLoadOptions): Promise<StreamLoadResult> {
  const n = options.streams;
  const result: StreamLoadResult = {
    streams: n,
    completed: 0,
    failures: {},
    ttftMs: new SampleBuffer(n),
    gapsMs: new SampleBuffer(n * Math.max(1, options.expectedEvents - 1)),
    firstChunkAt: new Float64Array(n).fill(Number.NaN),
    endedAt: new Float64Array(n).fill(Number.NaN),
    elapsedMs: 0,
    clientCpuUs: 0,
  };
  let finished = 0;
  let allFinished: () => void = () => {};
  const finish: Finish = (stream, reason) => {
    if (stream.done) return;
    stream.done = true;
    result.endedAt[stream.index] = performance.now();
    if (reason === null) {
      result.completed++;
    } else {
      result.failures[reason] = (result.failures[reason] ?? 0) + 1;
    }
    stream.socket?.destroy();
    if (++finished === n) allFinished();
  };
  const streams = Array.from({ length: n }, (_, i) => new PacedStream(i, result, options.expectedEvents, finish));
  await openAll(streams, options.port, options.connectBatch ?? 250);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let deadline: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    allFinished = resolve;
    if (finished === n) return resolve();
    let sent = 0;
    // One 1 ms ticker sends every stream that is due, instead of one timer per stream.
    const ticker = setInterval(() => {
      const due = options.rampMs <= 0 ? n : Math.min(n, Math.floor(((performance.now() - started) * n) / options.rampMs) + 1);
      for (; sent < due; sent++) if (!streams[sent]!.done) streams[sent]!.send(options.request);
      if (sent === n) clearInterval(ticker);
    }, 1);
    deadline = setTimeout(() => {
      clearInterval(ticker);
      for (const stream of streams) finish(stream, 'timeout');
    }, options.rampMs + options.timeoutMs);
  });
  clearTimeout(deadline);
  result.elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  result.clientCpuUs = cpu.user + cpu.system;
  return result;
}
