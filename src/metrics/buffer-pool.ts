// Reusable exposition buffers: a scrape takes one and gives it back only once its response has been
// written, so overlapping scrapes never share a buffer and a steady scrape allocates none.

import { findContentType, type ExpositionFormat } from './exposition-format.js';

/** Free buffers a pool keeps by default: enough for scrapes that overlap (Prometheus pairs, a curl). */
export const DEFAULT_POOLED_BUFFERS = 4;

const MIN_BUFFER_BYTES = 4096;

/** A bounded free list of buffers; a buffer is either handed out or free, never both. */
export class BufferPool {
  /** Most free buffers kept; buffers released beyond it are left to the garbage collector. */
  readonly maxFree: number;
  private readonly free: Buffer[] = [];

  /** Builds an empty pool keeping at most `maxFree` free buffers. */
  constructor(maxFree = DEFAULT_POOLED_BUFFERS) {
    if (!Number.isInteger(maxFree) || maxFree < 0) throw new RangeError('maxFree must be a non-negative integer');
    this.maxFree = maxFree;
  }

  /**
   * Takes a free buffer, else allocates one of at least `sizeHint` bytes. A reused buffer may be
   * smaller than the hint: the writer grows it, and the larger one comes back on release.
   */
  acquire(sizeHint: number): Buffer {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool, so two are never one memory.
    return Buffer.allocUnsafeSlow(Math.max(MIN_BUFFER_BYTES, sizeHint));
  }

  /** Returns a buffer that is no longer in use. */
  recycle(buffer: Buffer): void {
    if (this.free.length < this.maxFree && !this.free.includes(buffer)) this.free.push(buffer);
  }

  /** Number of free buffers held. */
  get size(): number {
    return this.free.length;
  }
}

/**
 * One rendered exposition in a pooled buffer. Send `bytes` with `contentType`, then call `release()`
 * once the bytes are no longer needed (the response has finished or closed, or gzip has consumed them);
 * after that the memory belongs to the next scrape. Releasing twice is harmless; never releasing only
 * costs the pool a buffer.
 */
export class PooledExposition {
  /** The exposition, UTF-8 bytes ready for the socket (valid until `release()`). */
  readonly bytes: Buffer;
  /** Format of `bytes`. */
  readonly format: ExpositionFormat;
  /** Content type to send with `bytes`. */
  readonly contentType: string;
  private pool: BufferPool | null;
  private readonly backing: Buffer;

  /** Wraps `bytes` (a view on `backing`, which goes back to `pool` on release). */
  constructor(bytes: Buffer, format: ExpositionFormat, pool: BufferPool, backing: Buffer) {
    this.bytes = bytes;
    this.format = format;
    this.contentType = findContentType(format);
    this.pool = pool;
    this.backing = backing;
  }

  /** Gives the buffer back to the pool; `bytes` must not be read afterwards. */
  release(): void {
    const pool = this.pool;
    if (pool === null) return;
    this.pool = null;
    pool.recycle(this.backing);
  }
}
