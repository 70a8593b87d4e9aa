// The primary's view of the group's metrics: workers' pushes plus its own registry (health-check
// latency, fleet gauges), merged on demand. A scrape first asks every worker for a fresh push, so
// once load stops every scrape is exact.

import type { Gateway } from '../gateway/gateway.js';
import { RECENT_ERRORS_KEPT, type RecentError } from '../gateway/recent-errors.js';
import { computeStats, type StatsDocument } from '../gateway/stats.js';
import { sanitizeLabelValue, type ExpositionFormat } from '../metrics/index.js';
import { GroupMerge, PRIMARY_ID } from './group-merge.js';
import { GroupStatsSource } from './group-stats.js';
import type { WorkerMessage } from './messages.js';
import { SnapshotEncoder } from './snapshot-codec.js';

/**
 * How long a scrape waits for the workers' fresh pushes. A worker that answers later (busy, or dying)
 * is merged from its previous push, at most PUSH_INTERVAL_MS old.
 */
export const FLUSH_TIMEOUT_MS = 250;

type Flush = { remaining: Set<number>; done: () => void };

/** The group's merged metrics, recent errors and stats, held by the primary. */
export class GroupView {
  private readonly local: Gateway;
  private readonly merge: GroupMerge;
  private readonly localEncoder: SnapshotEncoder | null;
  private readonly stats: GroupStatsSource;
  private readonly flushes = new Map<number, Flush>();
  private nextFlush = 1;
  private recent: RecentError[] = [];
  private readonly ejectedUntil = new Map<number, readonly number[]>();

  /** Merges into a registry capped like the workers'; `local` is the primary's own (non-listening) gateway. */
  constructor(local: Gateway) {
    this.local = local;
    this.merge = new GroupMerge(local.config.metrics.max_series_per_metric);
    this.localEncoder = local.instrumentation === null ? null : new SnapshotEncoder(local.instrumentation.families.registry);
    this.stats = new GroupStatsSource(this.merge.registry, local.keys.keys.map((key) => key.name));
  }

  /** Takes a worker's push (and counts it as the answer to a flush it names). */
  receive(workerId: number, message: Extract<WorkerMessage, { t: 'push' }>): void {
    if (message.push !== null) this.merge.apply(workerId, message.push);
    this.ejectedUntil.set(workerId, message.ejectedUntil);
    for (const [modelLabel, backendLabel, model, backend] of message.pairs) this.stats.addPairNames(modelLabel, backendLabel, model, backend);
    for (const [fromLabel, toLabel, from, to] of message.fallbacks) this.stats.addFallbackNames(fromLabel, toLabel, from, to);
    if (message.errors.length > 0) {
      // ISO times sort as strings; newest first, as one process lists them.
      this.recent = [...message.errors, ...this.recent].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0)).slice(0, RECENT_ERRORS_KEPT);
    }
    if (message.flush !== 0) this.settle(message.flush, workerId);
  }

  /** A worker died: its counters and histograms stay in the totals. */
  retire(workerId: number): void {
    this.merge.retire(workerId);
    this.ejectedUntil.delete(workerId);
    for (const id of [...this.flushes.keys()]) this.settle(id, workerId);
  }

  /**
   * Asks the workers for a fresh push and resolves when all answered or FLUSH_TIMEOUT_MS passed.
   * `send` delivers the flush request to one worker.
   */
  refresh(workerIds: readonly number[], send: (workerId: number, flushId: number) => void): Promise<void> {
    if (workerIds.length === 0) return Promise.resolve();
    const id = this.nextFlush++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.finish(id), FLUSH_TIMEOUT_MS);
      this.flushes.set(id, { remaining: new Set(workerIds), done: () => { clearTimeout(timer); resolve(); } });
      for (const workerId of workerIds) send(workerId, id);
    });
  }

  /** Renders the merged registry in `format` (call after `refresh()`). */
  renderMetrics(format: ExpositionFormat): Buffer {
    this.mergeNow();
    return this.merge.registry.renderBytes(format);
  }

  /** The group's /v1/stats document (call after `refresh()`). */
  statsDocument(uptimeSeconds: number): StatsDocument {
    this.mergeNow();
    // The primary's fleet carries the health checker's view; the request path's state (pending and
    // queued requests, ejection) lives in the workers, and is lent to it for this one document.
    const backends = this.local.fleet.all();
    for (let i = 0; i < backends.length; i++) {
      const backend = backends[i]!;
      const label = sanitizeLabelValue(backend.name);
      backend.pending = this.gaugeValue('nexus_pending_requests', label);
      backend.queued = this.gaugeValue('nexus_upstream_queued', label);
      for (const until of this.ejectedUntil.values()) backend.ejectedUntil = Math.max(backend.ejectedUntil, until[i] ?? 0);
    }
    const document = computeStats(this.stats, this.local.fleet, uptimeSeconds, this.recent);
    for (const backend of backends) {
      backend.pending = 0;
      backend.queued = 0;
      backend.ejectedUntil = 0;
    }
    return document;
  }

  private gaugeValue(family: string, label: string): number {
    const series = this.merge.registry.get(family)?.find(label) as unknown as { value: number } | undefined;
    return series === undefined ? 0 : series.value;
  }

  private mergeNow(): void {
    const instrumentation = this.local.instrumentation;
    if (instrumentation !== null && this.localEncoder !== null) {
      for (const family of instrumentation.families.registry.metrics()) family.collect();
      const push = this.localEncoder.encode(true);
      if (push !== null) this.merge.apply(PRIMARY_ID, push);
    }
    this.merge.merge();
  }

  private settle(flushId: number, workerId: number): void {
    const flush = this.flushes.get(flushId);
    if (flush === undefined) return;
    flush.remaining.delete(workerId);
    if (flush.remaining.size === 0) this.finish(flushId);
  }

  private finish(flushId: number): void {
    const flush = this.flushes.get(flushId);
    if (flush === undefined) return;
    this.flushes.delete(flushId);
    flush.done();
  }
}
