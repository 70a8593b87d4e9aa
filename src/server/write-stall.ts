// Clients that stop reading (SPEC 1, `server.write_stall_timeout_seconds`): a socket with response
// bytes waiting that accepts none of them for the stall time is destroyed, so a reader that went
// away without closing cannot hold a request, its backend and its buffers forever.

import type { Socket } from 'node:net';

// Per-socket progress as last seen by the sweep; fields set in the constructor so the shape is fixed.
// `since` is when progress was last seen, 0 while nothing is pending.
class StallState {
  accepted = 0;
  queued = 0;
  since = 0;
}

// libuv's count of bytes it still has to write: node's own socket timeout reads it the same way to
// tell a slow write from a stalled one. A partly written big chunk shows progress only here.
function queuedInKernelWrite(socket: Socket): number {
  const handle = (socket as unknown as { _handle?: { writeQueueSize?: number } | null })._handle;
  return typeof handle?.writeQueueSize === 'number' ? handle.writeQueueSize : 0;
}

function writeStallError(stallMs: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`the client accepted no byte for ${stallMs / 1000} s`), { code: 'ERR_WRITE_STALL' });
}

/** Watches sockets and destroys those that accept no byte for `stallMs`. */
export class WriteStallWatch {
  private readonly stallMs: number;
  private readonly sweepMs: number;
  private readonly sockets = new Map<Socket, StallState>();
  private timer: NodeJS.Timeout | null = null;
  private readonly forget: (this: Socket) => void;

  /** Builds a watch; a sweep runs every quarter of the stall time (10 ms to 1 s) while sockets are open. */
  constructor(stallMs: number) {
    this.stallMs = stallMs;
    this.sweepMs = Math.max(10, Math.min(1000, stallMs / 4));
    const watch = this;
    this.forget = function forget(this: Socket): void {
      watch.sockets.delete(this);
      if (watch.sockets.size === 0) watch.stop();
    };
  }

  /** Watches one connection until it closes. */
  watch(socket: Socket): void {
    this.sockets.set(socket, new StallState());
    socket.once('close', this.forget);
    if (this.timer === null) {
      this.timer = setInterval(() => this.sweep(performance.now()), this.sweepMs);
      this.timer.unref();
    }
  }

  /** Stops sweeping (the sockets themselves are the server's to close). */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass over the sockets at time `now` (ms); exposed so tests can drive it. */
  sweep(now: number): void {
    for (const [socket, state] of this.sockets) {
      if (socket.writableLength === 0) {
        // Nothing pending: the stall clock starts only when bytes are first seen waiting.
        state.since = 0;
        continue;
      }
      // Completed writes show as bytes written minus bytes still buffered; partial progress of the
      // write in flight shows as libuv's queue shrinking.
      const accepted = socket.bytesWritten - socket.writableLength;
      const queued = queuedInKernelWrite(socket);
      if (accepted !== state.accepted || queued < state.queued || state.since === 0) {
        state.accepted = accepted;
        state.queued = queued;
        state.since = now;
      } else if (now - state.since >= this.stallMs) {
        // With an error: destroyed without one, node:http would still report the response as
        // finished (its pending write "completes"), and the request would count as delivered.
        socket.destroy(writeStallError(this.stallMs));
      } else {
        state.queued = queued;
      }
    }
  }
}
