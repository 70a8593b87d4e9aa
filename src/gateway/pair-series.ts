// The bound series the instrumentation records into, one object per label set it meets: a (model,
// backend) pair, a backend's attempts, a (from, to) fallback. Each keeps the raw names /v1/stats reports.

import { HistogramSeries, OVERFLOW_LABEL_VALUE, type CounterSeries } from '../metrics/index.js';
import type { ErrorType } from '../errors/gateway-error.js';
import { ATTEMPT_OUTCOMES } from '../errors/attempt-outcome.js';
import { DURATION_BUCKETS, FIRST_BYTE_BUCKETS, type GatewayFamilies } from './metric-families.js';

/** The bound series of one (model, backend) pair, with the raw names /v1/stats reports. */
export class PairSeries {
  /** Raw model name (first seen for this label value). */
  readonly model: string;
  /** Raw backend name. */
  readonly backend: string;
  /** Duration series: its count and sum feed both /metrics and /v1/stats. */
  readonly duration: HistogramSeries;
  /** Requests counter children by status. */
  readonly byStatus = new Map<number, CounterSeries>();
  /** Error counter children by error type (labelled by model only). */
  readonly errorsByType = new Map<ErrorType, CounterSeries>();
  readonly promptTokens: HistogramSeries;
  readonly completionTokens: HistogramSeries;
  readonly timeToFirstToken: HistogramSeries;
  /** Sanitized labels, kept for binding status and error children later. */
  readonly modelLabel: string;
  readonly backendLabel: string;
  /**
   * This pair's own requests and 2xx answers. Once the series cap folds pairs into the shared
   * overflow series, that series mixes pairs and statuses; /v1/stats reads these instead.
   */
  requests = 0;
  successes = 0;
  /** The durations and times to first token /v1/stats reads: the pair's series, or private ones when those are the shared overflow series. */
  readonly statsDuration: HistogramSeries;
  readonly statsTimeToFirstToken: HistogramSeries;

  /** Binds every series of the pair. */
  constructor(families: GatewayFamilies, model: string, backend: string, modelLabel: string, backendLabel: string) {
    this.model = model;
    this.backend = backend;
    this.modelLabel = modelLabel;
    this.backendLabel = backendLabel;
    this.duration = families.duration.labels(modelLabel, backendLabel);
    this.promptTokens = families.tokens.labels(modelLabel, backendLabel, 'prompt');
    this.completionTokens = families.tokens.labels(modelLabel, backendLabel, 'completion');
    this.timeToFirstToken = families.timeToFirstToken.labels(modelLabel, backendLabel);
    this.statsDuration = isOverflow(this.duration) ? createDetachedSeries(DURATION_BUCKETS) : this.duration;
    this.statsTimeToFirstToken = isOverflow(this.timeToFirstToken) ? createDetachedSeries(FIRST_BYTE_BUCKETS) : this.timeToFirstToken;
  }
}

/** The bound fallback counter of one (requested model, served model) pair, with their raw names. */
export class FallbackSeries {
  /** Raw requested model (first spelling seen for this label pair). */
  readonly from: string;
  /** Raw model that served instead. */
  readonly to: string;
  /** Sanitized labels of the pair, as /metrics shows them. */
  readonly fromLabel: string;
  readonly toLabel: string;
  private readonly series: CounterSeries;
  private readonly folded: boolean;
  // Requests of this pair alone: /v1/stats reads it only when the series cap folded the pair into the shared overflow series.
  private own = 0;

  /** Binds the `nexus_fallbacks_total` child of the pair. */
  constructor(families: GatewayFamilies, from: string, to: string, fromLabel: string, toLabel: string) {
    this.from = from;
    this.to = to;
    this.fromLabel = fromLabel;
    this.toLabel = toLabel;
    this.series = families.fallbacks.labels(fromLabel, toLabel);
    this.folded = isOverflow(this.series);
  }

  /** Counts one request served by the fallback. */
  inc(): void {
    this.series.inc();
    this.own++;
  }

  /** Requests served by this fallback: the very counter /metrics renders, unless it is the shared overflow series. */
  get count(): number {
    return this.folded ? this.own : this.series.value;
  }
}

/** The bound attempt series of one backend: a counter per outcome (bound on first use) and the first-byte histogram. */
export class BackendAttemptSeries {
  readonly byOutcome: (CounterSeries | null)[] = ATTEMPT_OUTCOMES.map(() => null);
  readonly firstByte: HistogramSeries;
  readonly label: string;

  /** Binds the first-byte histogram of the backend labelled `label`. */
  constructor(families: GatewayFamilies, label: string) {
    this.label = label;
    this.firstByte = families.upstreamFirstByte.labels(label);
  }
}

// The series every label set beyond the cap shares: all its labels `_overflow`.
function isOverflow(series: { readonly labelValues: readonly string[] }): boolean {
  return series.labelValues.every((value) => value === OVERFLOW_LABEL_VALUE);
}

// A histogram series no family holds and no scrape renders: a folded pair's own numbers for /v1/stats.
function createDetachedSeries(bounds: readonly number[]): HistogramSeries {
  return new HistogramSeries({ name: 'nexus_stats_only', bounds: Float64Array.from(bounds), exemplarLabel: null }, [], '');
}
