// Admission of chat requests (SPEC 1 limits): the cap on requests in flight, counted from arrival
// (uploads included), each request's lease on the shared body-memory budget, and the set of
// requests in flight, so shutdown can cut them and record them as cut. It sits between the
// exchanges and the metrics observer: a request's slot and bytes are given back exactly when its
// record is final (handler done and response closed).

import { ByteBudget, type ByteLease } from '../http/byte-budget.js';
import type { ChatExchange, ChatObserver } from './chat-exchange.js';

/** Admits chat requests under the concurrency cap and hands each its memory lease. */
export class ChatAdmission implements ChatObserver {
  /** The shared budget of body bytes. */
  readonly budget: ByteBudget;
  private readonly maxConcurrent: number;
  private readonly next: ChatObserver | null;
  // Every exchange not yet final, with its lease (null: refused at the cap, holds no slot).
  private readonly active = new Map<ChatExchange, ByteLease | null>();
  private admitted = 0;
  private readonly emptyWaiters: (() => void)[] = [];

  /** Builds the admission; finished exchanges go on to `next` (the metrics), if any. */
  constructor(maxConcurrent: number, maxInflightBytes: number, next: ChatObserver | null) {
    this.maxConcurrent = maxConcurrent;
    this.budget = new ByteBudget(maxInflightBytes);
    this.next = next;
  }

  /** Requests holding a slot right now. */
  get inFlight(): number {
    return this.admitted;
  }

  /** Takes a slot for `ex` and returns its lease, or null when every slot is taken (answer 503). */
  admit(ex: ChatExchange): ByteLease | null {
    if (this.admitted >= this.maxConcurrent) {
      this.active.set(ex, null);
      return null;
    }
    this.admitted++;
    const lease = this.budget.lease();
    this.active.set(ex, lease);
    return lease;
  }

  /** Marks every request still in flight as cut by shutdown (recorded 503 `shutdown`); returns how many. */
  cutAll(): number {
    for (const ex of this.active.keys()) ex.cutForShutdown();
    return this.active.size;
  }

  /** Resolves once no exchange is in flight (every one recorded). */
  whenEmpty(): Promise<void> {
    if (this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  /** The exchange is final: its slot and bytes go back, then it is recorded. */
  chatFinished(ex: ChatExchange): void {
    const lease = this.active.get(ex);
    if (lease !== undefined) {
      this.active.delete(ex);
      if (lease !== null) {
        lease.release();
        this.admitted--;
      }
    }
    this.next?.chatFinished(ex);
    if (this.active.size === 0 && this.emptyWaiters.length > 0) for (const wake of this.emptyWaiters.splice(0)) wake();
  }
}
