// Graceful shutdown of the HTTP server (SPEC 2.2): stop accepting, close idle keep-alive sockets,
// answer every further request with `Connection: close`, and tell when the last request is done.
// Cutting what is still running at the deadline is the caller's decision (it records how).

import type { Server, ServerResponse } from 'node:http';

/** Tracks requests in flight and drains the server on shutdown. */
export class ConnectionDrain {
  private readonly server: Server;
  private readonly active = new Set<ServerResponse>();
  private readonly waiters: (() => void)[] = [];
  private draining = false;
  private closeIdleScheduled = false;
  // One listener for every response (`this` is the response), not a closure per request.
  private readonly onResponseClose: (this: ServerResponse) => void;

  /** Watches `server`; call `track` for every request it dispatches. */
  constructor(server: Server) {
    this.server = server;
    const drain = this;
    this.onResponseClose = function onResponseClose(this: ServerResponse): void {
      drain.untrack(this);
    };
  }

  /** Whether shutdown has begun. */
  get isDraining(): boolean {
    return this.draining;
  }

  /** Requests in flight right now (any route). */
  get inFlight(): number {
    return this.active.size;
  }

  /** Tracks one request from dispatch until its response closes. */
  track(res: ServerResponse): void {
    this.active.add(res);
    // A request that arrives on a kept-alive socket during the drain is served, then the socket closes.
    if (this.draining) res.setHeader('connection', 'close');
    res.once('close', this.onResponseClose);
  }

  /** Stops accepting connections and closes the idle ones; requests in flight go on. */
  begin(): void {
    if (this.draining) return;
    this.draining = true;
    this.server.close();
    this.server.closeIdleConnections();
    for (const res of this.active) if (!res.headersSent) res.setHeader('connection', 'close');
    this.notifyIfIdle();
  }

  /** Resolves true once no request is in flight, or false when `ms` pass first. */
  settled(ms: number): Promise<boolean> {
    if (this.active.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Closes every connection, whatever it is doing. */
  closeAll(): void {
    this.server.closeAllConnections();
  }

  private untrack(res: ServerResponse): void {
    this.active.delete(res);
    if (!this.draining) return;
    // A response whose head went out before the drain kept its socket alive: close it once idle
    // (on the next turn, when node:http has detached the finished response from its socket).
    if (!this.closeIdleScheduled) {
      this.closeIdleScheduled = true;
      setImmediate(() => {
        this.closeIdleScheduled = false;
        this.server.closeIdleConnections();
      });
    }
    this.notifyIfIdle();
  }

  private notifyIfIdle(): void {
    if (this.active.size !== 0) return;
    const waiters = this.waiters.splice(0);
    for (const wake of waiters) wake();
  }
}
