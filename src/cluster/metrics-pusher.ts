// A worker's side of the metrics exchange: pushes its registry to the primary every PUSH_INTERVAL_MS
// while anything changed, and at once when the primary asks (a scrape is being answered).

import type { Gateway } from '../gateway/gateway.js';
import type { RecentError } from '../gateway/recent-errors.js';
import type { FallbackNames, PairNames, WorkerMessage } from './messages.js';
import { SnapshotEncoder } from './snapshot-codec.js';

/**
 * How often a worker pushes while its metrics change. It bounds what a killed worker takes with it:
 * the requests it completed since its last push, at most this interval times its request rate.
 */
export const PUSH_INTERVAL_MS = 250;

/** Pushes one gateway's metrics to the primary. */
export class MetricsPusher {
  private readonly gateway: Gateway;
  private readonly send: (message: WorkerMessage, done?: () => void) => void;
  private readonly encoder: SnapshotEncoder | null;
  private sentPairs = 0;
  private sentFallbacks = 0;
  private lastError: RecentError | null = null;
  private timer: NodeJS.Timeout | null = null;

  /** Pushes `gateway`'s metrics through `send`. */
  constructor(gateway: Gateway, send: (message: WorkerMessage, done?: () => void) => void) {
    this.gateway = gateway;
    this.send = send;
    this.encoder = gateway.instrumentation === null ? null : new SnapshotEncoder(gateway.instrumentation.families.registry);
  }

  /** Starts the periodic pushes (the timer never keeps the process alive). */
  start(): void {
    this.timer = setInterval(() => this.push(0), PUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops the periodic pushes. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Pushes what changed. A `flush` (non-zero: the primary's request id) first runs the collectors, so
   * scrape-time gauges (pending requests, process and runtime families) are fresh, and always answers.
   * `done` runs once the message is handed to the channel (or at once when there was nothing to send).
   */
  push(flush: number, done?: () => void): void {
    const instrumentation = this.gateway.instrumentation;
    if (instrumentation === null || this.encoder === null) {
      if (flush !== 0) this.send({ t: 'push', flush, push: null, pairs: [], fallbacks: [], errors: [], ejectedUntil: this.ejections() }, done);
      else done?.();
      return;
    }
    if (flush !== 0) for (const family of instrumentation.families.registry.metrics()) family.collect();
    const push = this.encoder.encode(flush !== 0);
    const pairs = this.newPairs();
    const fallbacks = this.newFallbacks();
    const errors = this.newErrors();
    if (push === null && pairs.length === 0 && fallbacks.length === 0 && errors.length === 0 && flush === 0) return done?.();
    this.send({ t: 'push', flush, push, pairs, fallbacks, errors, ejectedUntil: this.ejections() }, done);
  }

  private ejections(): number[] {
    return this.gateway.fleet.all().map((backend) => backend.ejectedUntil);
  }

  private newPairs(): PairNames[] {
    const all = (this.gateway.instrumentation as NonNullable<Gateway['instrumentation']>).pairSeries();
    const out: PairNames[] = [];
    for (let i = this.sentPairs; i < all.length; i++) {
      const pair = all[i]!;
      out.push([pair.modelLabel, pair.backendLabel, pair.model, pair.backend]);
    }
    this.sentPairs = all.length;
    return out;
  }

  private newFallbacks(): FallbackNames[] {
    const all = (this.gateway.instrumentation as NonNullable<Gateway['instrumentation']>).fallbackSeries();
    const out: FallbackNames[] = [];
    for (let i = this.sentFallbacks; i < all.length; i++) {
      const fallback = all[i]!;
      out.push([fallback.fromLabel, fallback.toLabel, fallback.from, fallback.to]);
    }
    this.sentFallbacks = all.length;
    return out;
  }

  // The ring lists newest first; entries are new objects, so the newest one already sent marks the cut.
  private newErrors(): RecentError[] {
    const list = this.gateway.recentErrors.list();
    const cut = this.lastError === null ? -1 : list.indexOf(this.lastError);
    const fresh = cut === -1 ? list : list.slice(0, cut);
    if (list.length > 0) this.lastError = list[0] as RecentError;
    return fresh;
  }
}
