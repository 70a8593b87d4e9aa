// The one place request outcomes become metrics. Label children are bound once per (model,
// backend) pair and reused, so recording a finished request is a few field updates.

import { LabelSanitizer, type HistogramSeries } from '../metrics/index.js';
import type { Backend } from '../fleet/backend.js';
import type { Fleet } from '../fleet/fleet.js';
import { ATTEMPT_OUTCOMES, ATTEMPT_OUTCOME_INDEX } from '../errors/attempt-outcome.js';
import type { AttemptRecord } from '../proxy/attempt-record.js';
import type { ChatExchange, ChatObserver } from './chat-exchange.js';
import { createFleetCollector } from './fleet-gauges.js';
import { createGatewayFamilies, type GatewayFamilies } from './metric-families.js';
import { KeySeries } from './key-usage.js';
import { BackendAttemptSeries, FallbackSeries, PairSeries } from './pair-series.js';
import { registerProcessMetrics } from './process-metrics.js';
import type { FallbackCount, KeyTotals, StatsSource } from './stats.js';

/** Turns chat exchanges and health checks into metrics, and reads them back for /v1/stats. */
export class Instrumentation implements ChatObserver, StatsSource {
  /** The families (and their registry) recorded into. */
  readonly families: GatewayFamilies;
  private readonly sanitizer = new LabelSanitizer();
  // model label -> backend label -> pair: keyed by sanitized labels so two raw spellings that
  // sanitize alike share one pair, exactly as they share one series in /metrics.
  private readonly pairs = new Map<string, Map<string, PairSeries>>();
  private readonly pairList: PairSeries[] = [];
  // from label -> to label -> fallback, as pairs: keyed as /metrics labels them.
  private readonly fallbacks = new Map<string, Map<string, FallbackSeries>>();
  private readonly fallbackList: FallbackSeries[] = [];
  private readonly backendLatency = new Map<string, HistogramSeries>();
  private readonly attemptSeries = new Map<Backend, BackendAttemptSeries>();
  private readonly stopProcessMetrics: () => void;
  // API key name -> its series; every configured key is bound up front (names are few and fixed).
  private readonly keys = new Map<string, KeySeries>();

  /** Declares every family; fleet gauges read `fleet` at scrape time; `keyNames` are the configured API keys. */
  constructor(fleet: Fleet, options: { maxSeriesPerMetric: number; version: string; keyNames?: readonly string[] }) {
    this.families = createGatewayFamilies(options.maxSeriesPerMetric, createFleetCollector(fleet, (raw) => this.label(raw)));
    this.stopProcessMetrics = registerProcessMetrics(this.families.registry, options.version);
    for (const name of options.keyNames ?? []) {
      this.keys.set(name, new KeySeries(name, this.label(name), this.families.clientRequests, this.families.clientTokens));
    }
  }

  /** Records one finished chat request: counted exactly once, whatever way it ended. */
  chatFinished(ex: ChatExchange): void {
    const pair = this.pair(ex.model, ex.backend);
    let requests = pair.byStatus.get(ex.status);
    if (requests === undefined) {
      requests = this.families.requests.labels(pair.modelLabel, pair.backendLabel, String(ex.status));
      pair.byStatus.set(ex.status, requests);
    }
    requests.inc();
    pair.requests++;
    if (ex.status >= 200 && ex.status < 300) pair.successes++;
    const seconds = ex.durationMs / 1000;
    // The latest request of each bucket becomes its exemplar, linking a slow bucket to its access-log line.
    pair.duration.observeWithExemplar(seconds, ex.requestId, Date.now() / 1000);
    if (pair.statsDuration !== pair.duration) pair.statsDuration.observe(seconds);
    if (ex.errorType !== null) {
      let errors = pair.errorsByType.get(ex.errorType);
      if (errors === undefined) {
        errors = this.families.errors.labels(ex.errorType, pair.modelLabel);
        pair.errorsByType.set(ex.errorType, errors);
      }
      errors.inc();
    }
    if (ex.fallbackFrom !== null && ex.errorType === null) {
      this.fallback(ex.fallbackFrom, pair).inc();
    }
    if (ex.promptTokens >= 0) pair.promptTokens.observe(ex.promptTokens);
    if (ex.completionTokens >= 0) pair.completionTokens.observe(ex.completionTokens);
    if (ex.stream && ex.firstByteMs >= 0) {
      pair.timeToFirstToken.observe(ex.firstByteMs / 1000);
      if (pair.statsTimeToFirstToken !== pair.timeToFirstToken) pair.statsTimeToFirstToken.observe(ex.firstByteMs / 1000);
    }
    // A stream's overhead ends at its first byte sent: relaying the rest is the backend's pace, not ours.
    const gatewayMs = ex.stream && ex.firstByteMs >= 0 ? ex.firstByteMs : ex.durationMs;
    this.families.overhead.observe(Math.max(0, gatewayMs - ex.upstreamMs) / 1000);
    if (ex.keyName !== null) this.keys.get(ex.keyName)?.record(ex.status, ex.promptTokens, ex.completionTokens);
  }

  /** Records one finished upstream attempt: counted exactly once, with its time to first byte. */
  attemptFinished(record: AttemptRecord): void {
    let series = this.attemptSeries.get(record.backend);
    if (series === undefined) {
      series = new BackendAttemptSeries(this.families, this.label(record.backend.name));
      this.attemptSeries.set(record.backend, series);
    }
    const index = ATTEMPT_OUTCOME_INDEX[record.outcome];
    let counter = series.byOutcome[index];
    if (counter === null || counter === undefined) {
      counter = this.families.upstreamAttempts.labels(series.label, record.outcome);
      series.byOutcome[index] = counter;
    }
    counter.inc();
    if (record.firstByteMs >= 0) series.firstByte.observe(record.firstByteMs / 1000);
  }

  /** One backend's upstream attempts by outcome (outcomes seen so far only), for /v1/stats. */
  attemptsOf(backend: Backend): Record<string, number> {
    const counts: Record<string, number> = {};
    const series = this.attemptSeries.get(backend);
    if (series === undefined) return counts;
    for (let i = 0; i < ATTEMPT_OUTCOMES.length; i++) {
      const counter = series.byOutcome[i];
      if (counter !== null && counter !== undefined) counts[ATTEMPT_OUTCOMES[i] as string] = counter.value;
    }
    return counts;
  }

  /** Records the latency of a health check that got an HTTP answer. */
  healthChecked(backend: Backend, latencySeconds: number): void {
    let series = this.backendLatency.get(backend.name);
    if (series === undefined) {
      series = this.families.backendLatency.labels(this.label(backend.name));
      this.backendLatency.set(backend.name, series);
    }
    series.observe(latencySeconds);
  }

  /** The series of every configured API key, in config order (empty when access control is off). */
  keySeries(): IterableIterator<KeySeries> {
    return this.keys.values();
  }

  /** Every configured key's totals, for /v1/stats. */
  keyTotals(): KeyTotals[] {
    return [...this.keys.values()].map((key) => key.totals());
  }

  /** Requests served by each fallback (raw names), for /v1/stats. */
  fallbackPairs(): FallbackCount[] {
    return this.fallbackList.map((f) => ({ from: f.from, to: f.to, count: f.count }));
  }

  /** Every fallback pair seen so far, in order of first use (a cluster worker sends the new ones' raw names). */
  fallbackSeries(): readonly FallbackSeries[] {
    return this.fallbackList;
  }

  /** Every (model, backend) pair seen so far. */
  pairSeries(): readonly PairSeries[] {
    return this.pairList;
  }

  /** Renders /metrics as UTF-8 bytes. */
  render(): Buffer {
    return this.families.registry.renderBytes();
  }

  /** Releases the event-loop monitor. */
  close(): void {
    this.stopProcessMetrics();
  }

  private label(raw: string): string {
    return this.sanitizer.sanitize(raw);
  }

  private pair(model: string, backend: string): PairSeries {
    const modelLabel = this.label(model);
    const backendLabel = this.label(backend);
    let byBackend = this.pairs.get(modelLabel);
    if (byBackend === undefined) this.pairs.set(modelLabel, (byBackend = new Map()));
    let pair = byBackend.get(backendLabel);
    if (pair === undefined) {
      pair = new PairSeries(this.families, model, backend, modelLabel, backendLabel);
      byBackend.set(backendLabel, pair);
      this.pairList.push(pair);
    }
    return pair;
  }

  private fallback(from: string, served: PairSeries): FallbackSeries {
    const fromLabel = this.label(from);
    let byTo = this.fallbacks.get(fromLabel);
    if (byTo === undefined) this.fallbacks.set(fromLabel, (byTo = new Map()));
    let series = byTo.get(served.modelLabel);
    if (series === undefined) {
      series = new FallbackSeries(this.families, from, served.model, fromLabel, served.modelLabel);
      byTo.set(served.modelLabel, series);
      this.fallbackList.push(series);
    }
    return series;
  }
}
