// Reading an HTTP body (a client's request or a backend's answer) with a hard size limit enforced
// while reading: nothing past the limit is buffered, and a declared Content-Length over the limit
// is refused before reading at all. Optionally bounded by a shared memory budget and a deadline.

import type { IncomingMessage } from 'node:http';
import type { ByteLease } from './byte-budget.js';

/** Limits beyond the size cap. */
export interface ReadBodyOptions {
  /** The request's share of the shared memory budget: every chunk is reserved before it is kept. */
  lease?: ByteLease;
  /** The error for a chunk the budget cannot hold. */
  overBudget?: () => Error;
  /** Longest the whole body may take to arrive, from the call on. */
  timeoutMs?: number;
  /** The error when `timeoutMs` passes first. */
  timedOut?: () => Error;
}

/** The stream ended before its body was complete: the peer went away (not the reader's fault). */
export class BodyAbortedError extends Error {
  override readonly name = 'BodyAbortedError';
  /** The stream's error code when it gave one (e.g. `ECONNRESET`), so callers can still name the cause. */
  readonly code: string;

  /** Builds the error from the stream's own error, if any. */
  constructor(cause?: NodeJS.ErrnoException) {
    super('connection closed before the body was complete');
    this.code = cause?.code ?? 'ECONNRESET';
  }
}

/**
 * Reads the whole body as one Buffer. Rejects with `tooLarge()` once it exceeds `limit` bytes, with
 * `overBudget()` when the shared budget is exhausted (in both cases the rest is drained, not
 * buffered, so the socket stays usable), with `timedOut()` at the deadline, and with a
 * BodyAbortedError if the stream breaks off before its end.
 */
export function readBody(stream: IncomingMessage, limit: number, tooLarge: () => Error, options: ReadBodyOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(stream.headers['content-length']);
    if (declared > limit) {
      stream.resume();
      reject(tooLarge());
      return;
    }
    const { lease, overBudget, timedOut } = options;
    const chunks: Buffer[] = [];
    let size = 0;
    let reserved = 0;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      return true;
    };
    const fail = (error: Error): void => {
      if (!settle()) return;
      chunks.length = 0;
      // What this read reserved is dropped with it (a retry may need the room).
      lease?.release(reserved);
      reject(error);
    };
    if (options.timeoutMs !== undefined && timedOut !== undefined) {
      timer = setTimeout(() => {
        stream.resume();
        fail(timedOut());
      }, options.timeoutMs);
    }
    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) return fail(tooLarge());
      if (lease !== undefined) {
        if (!lease.reserve(chunk.length)) return fail(overBudget === undefined ? tooLarge() : overBudget());
        reserved += chunk.length;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => {
      if (settle()) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    stream.on('error', (error: NodeJS.ErrnoException) => fail(stream.complete ? error : new BodyAbortedError(error)));
    stream.on('close', () => {
      if (!stream.complete) fail(new BodyAbortedError());
    });
  });
}
