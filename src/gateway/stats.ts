// GET /v1/stats (SPEC section 4), from each (model, backend) pair's numbers recorded in the same call
// as the series /metrics renders, plus the extra fields the dashboard reads: percentiles estimated
// from the buckets, recent failures, per-key usage.

import type { Backend } from '../fleet/backend.js';
import type { Fleet } from '../fleet/fleet.js';
import { sanitizeLabelValue } from '../metrics/index.js';
import { estimateQuantile } from './histogram-quantile.js';
import { DURATION_BUCKETS, FIRST_BYTE_BUCKETS } from './metric-families.js';
import type { RecentError } from './recent-errors.js';

/** A histogram as /v1/stats reads it. */
export interface HistogramTotals {
  readonly sum: number;
  readonly count: number;
  readonly bucketCounts: Float64Array;
}

/** One (model, backend) pair as /v1/stats reads it: raw names, labels, its counts and histograms. */
export interface StatsPair {
  readonly model: string;
  readonly backend: string;
  readonly modelLabel: string;
  readonly backendLabel: string;
  /** Requests of this pair, and those answered 2xx. */
  readonly requests: number;
  readonly successes: number;
  readonly statsDuration: HistogramTotals;
  readonly statsTimeToFirstToken: HistogramTotals;
}

/** One API key's line of /v1/stats. */
export interface KeyTotals {
  name: string;
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
}

/** Requests one fallback served: the requested model, the model that served instead (raw names). */
export interface FallbackCount {
  from: string;
  to: string;
  count: number;
}

/** What /v1/stats is computed from: one process's instrumentation, or a cluster primary's merged view. */
export interface StatsSource {
  /** Every (model, backend) pair seen. */
  pairSeries(): readonly StatsPair[];
  /** Requests served by each (requested, served) fallback pair, in any order. */
  fallbackPairs(): FallbackCount[];
  /** Per configured API key (empty when access control is off). */
  keyTotals(): KeyTotals[];
  /** A backend's upstream attempts by outcome. */
  attemptsOf(backend: Backend): Record<string, number>;
}

/** One model's line of /v1/stats. */
export interface ModelStats {
  name: string;
  requests: number;
  average_duration_ms: number;
  p50_ms: number;
  p95_ms: number;
  ttft_p50_ms: number;
  ttft_p95_ms: number;
}

/** The /v1/stats document. */
export interface StatsDocument {
  uptime_seconds: number;
  requests: { total: number; success: number; errors: number };
  backends: {
    id: string;
    requests: number;
    average_latency_ms: number;
    pending: number;
    queued: number;
    status: string;
    /** ISO time the backend's ejection ends, null when it is not ejected (SPEC 2.1). */
    ejected_until: string | null;
    /** Upstream attempts by outcome. */
    attempts: Record<string, number>;
  }[];
  models: ModelStats[];
  /** Requests served by a fallback model. */
  fallbacks: number;
  /** The same requests per (requested, served) pair, most first, then by from and to. */
  fallback_pairs: FallbackCount[];
  /** The last failed requests, newest first. */
  recent_errors: RecentError[];
  /** Per API key, sorted by name; present only with access control on (SPEC 4). */
  keys?: KeyTotals[];
}

// Per backend or per model: request count, duration sum and count, and summed bucket counts.
class Tally {
  requests = 0;
  durationSum = 0;
  durationCount = 0;
  readonly duration = new Float64Array(DURATION_BUCKETS.length + 1);
  readonly ttft = new Float64Array(FIRST_BYTE_BUCKETS.length + 1);

  constructor(readonly name: string) {}

  add(pair: StatsPair): void {
    this.requests += pair.requests;
    this.durationSum += pair.statsDuration.sum;
    this.durationCount += pair.statsDuration.count;
    addInto(this.duration, pair.statsDuration.bucketCounts);
    addInto(this.ttft, pair.statsTimeToFirstToken.bucketCounts);
  }
}

function addInto(target: Float64Array, counts: Float64Array): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] as number) + (counts[i] ?? 0);
}

// Milliseconds with one decimal; 0 for "no data" (never NaN or Infinity, SPEC 4).
function roundMs(seconds: number): number {
  const ms = seconds * 1000;
  return Number.isFinite(ms) ? Math.round(ms * 10) / 10 : 0;
}

function computeAverageMs(sumSeconds: number, count: number): number {
  return count === 0 ? 0 : roundMs(sumSeconds / count);
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareFallbacks(a: FallbackCount, b: FallbackCount): number {
  return b.count - a.count || compareNames(a.from, b.from) || compareNames(a.to, b.to);
}

function tally(map: Map<string, Tally>, key: string, name: string, pair: StatsPair): void {
  let entry = map.get(key);
  if (entry === undefined) map.set(key, (entry = new Tally(name)));
  entry.add(pair);
}

function summarizeModel(m: Tally): ModelStats {
  return {
    name: m.name,
    requests: m.requests,
    average_duration_ms: computeAverageMs(m.durationSum, m.durationCount),
    p50_ms: roundMs(estimateQuantile(DURATION_BUCKETS, m.duration, 0.5)),
    p95_ms: roundMs(estimateQuantile(DURATION_BUCKETS, m.duration, 0.95)),
    ttft_p50_ms: roundMs(estimateQuantile(FIRST_BYTE_BUCKETS, m.ttft, 0.5)),
    ttft_p95_ms: roundMs(estimateQuantile(FIRST_BYTE_BUCKETS, m.ttft, 0.95)),
  };
}

/**
 * Builds the stats document. Each pair's request count is incremented in the same call as its
 * requests series, so totals always equal /metrics, also once the series cap folds pairs into the
 * shared overflow series (where /metrics can no longer tell pairs or statuses apart): stats still
 * reports folded requests under their own model and backend, with their status class.
 */
export function computeStats(source: StatsSource, fleet: Fleet, uptimeSeconds: number, recentErrors: readonly RecentError[]): StatsDocument {
  let total = 0;
  let success = 0;
  const byBackend = new Map<string, Tally>();
  const byModel = new Map<string, Tally>();
  for (const pair of source.pairSeries()) {
    total += pair.requests;
    success += pair.successes;
    tally(byBackend, pair.backendLabel, pair.backend, pair);
    tally(byModel, pair.modelLabel, pair.model, pair);
  }
  const now = fleet.outliers.currentTime();
  const backends = fleet.all().map((backend) => {
    const entry = byBackend.get(sanitizeLabelValue(backend.name));
    return {
      id: backend.name,
      requests: entry?.requests ?? 0,
      average_latency_ms: entry === undefined ? 0 : computeAverageMs(entry.durationSum, entry.durationCount),
      pending: backend.pending,
      queued: backend.queued,
      status: backend.status,
      ejected_until: backend.isEjectedAt(now) ? new Date(backend.ejectedUntil).toISOString() : null,
      attempts: source.attemptsOf(backend),
    };
  });
  const models = [...byModel.values()].map(summarizeModel).sort((a, b) => b.requests - a.requests || compareNames(a.name, b.name));
  const fallbackPairs = source.fallbackPairs().sort(compareFallbacks);
  let fallbacks = 0;
  for (const pair of fallbackPairs) fallbacks += pair.count;
  const document: StatsDocument = {
    uptime_seconds: Math.floor(uptimeSeconds),
    requests: { total, success, errors: total - success },
    backends,
    models,
    fallbacks,
    fallback_pairs: fallbackPairs,
    recent_errors: [...recentErrors],
  };
  const keys = source.keyTotals();
  if (keys.length > 0) document.keys = keys.sort((a, b) => compareNames(a.name, b.name));
  return document;
}
