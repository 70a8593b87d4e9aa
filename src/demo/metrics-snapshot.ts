// A point-in-time reading of the gateway's own /metrics, reduced to what the demo summary shows:
// request, error and fallback totals, requests, attempts, failed attempts and ejection per backend,
// and the duration histogram's buckets.

import { isAttemptFailure, type AttemptOutcome } from '../errors/attempt-outcome.js';

import { estimateQuantile } from '../gateway/histogram-quantile.js';

/** Totals read from one scrape. */
export interface MetricsSnapshot {
  requests: number;
  errors: number;
  fallbacks: number;
  pending: number;
  backendsHealthy: number;
  backendsTotal: number;
  /** Requests per backend label. */
  requestsByBackend: Map<string, number>;
  /** Upstream attempts per backend label. */
  attemptsByBackend: Map<string, number>;
  /** Failed upstream attempts (SPEC 2.1 failures) per backend label. */
  failuresByBackend: Map<string, number>;
  /** Backend labels ejected right now (a gauge: the latest scrape's value, not a difference). */
  ejected: Set<string>;
  /** Errors per error_type label. */
  errorsByType: Map<string, number>;
  /** Duration buckets summed over every series: upper bound -> cumulative count (+Inf included). */
  durationBuckets: Map<number, number>;
}

const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

function labelsOf(line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const brace = line.indexOf('{');
  if (brace < 0) return labels;
  for (const match of line.slice(brace, line.lastIndexOf('}')).matchAll(LABEL)) labels[match[1]!] = match[2]!;
  return labels;
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/** Reads the families the summary needs from Prometheus text; other families are skipped. */
export function readSnapshot(exposition: string): MetricsSnapshot {
  const snapshot: MetricsSnapshot = {
    requests: 0,
    errors: 0,
    fallbacks: 0,
    pending: 0,
    backendsHealthy: 0,
    backendsTotal: 0,
    requestsByBackend: new Map(),
    attemptsByBackend: new Map(),
    failuresByBackend: new Map(),
    ejected: new Set(),
    errorsByType: new Map(),
    durationBuckets: new Map(),
  };
  for (const line of exposition.split('\n')) {
    if (!line.startsWith('nexus_')) continue;
    const end = line.search(/[{ ]/);
    const name = line.slice(0, end);
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    switch (name) {
      case 'nexus_requests_total':
        snapshot.requests += value;
        add(snapshot.requestsByBackend, labelsOf(line).backend ?? '', value);
        break;
      case 'nexus_errors_total':
        snapshot.errors += value;
        add(snapshot.errorsByType, labelsOf(line).error_type ?? '', value);
        break;
      case 'nexus_upstream_attempts_total': {
        const labels = labelsOf(line);
        add(snapshot.attemptsByBackend, labels.backend ?? '', value);
        if (isAttemptFailure(labels.outcome as AttemptOutcome)) add(snapshot.failuresByBackend, labels.backend ?? '', value);
        break;
      }
      case 'nexus_backend_ejected':
        if (value > 0) snapshot.ejected.add(labelsOf(line).backend ?? '');
        break;
      case 'nexus_fallbacks_total':
        snapshot.fallbacks += value;
        break;
      case 'nexus_pending_requests':
        snapshot.pending += value;
        break;
      case 'nexus_backends_healthy':
        snapshot.backendsHealthy = value;
        break;
      case 'nexus_backends_total':
        snapshot.backendsTotal = value;
        break;
      case 'nexus_request_duration_seconds_bucket': {
        const le = labelsOf(line).le;
        const bound = le === '+Inf' ? Infinity : Number(le);
        snapshot.durationBuckets.set(bound, (snapshot.durationBuckets.get(bound) ?? 0) + value);
        break;
      }
      default:
        break;
    }
  }
  return snapshot;
}

/** The q-quantile from cumulative buckets keyed by upper bound (+Inf included), as histogram_quantile does. */
export function quantileFromBuckets(buckets: ReadonlyMap<number, number>, q: number): number {
  const bounds = [...buckets.keys()].filter((bound) => bound !== Infinity).sort((a, b) => a - b);
  const counts: number[] = [];
  let previous = 0;
  for (const bound of [...bounds, Infinity]) {
    const cumulative = buckets.get(bound) ?? previous;
    counts.push(cumulative - previous);
    previous = cumulative;
  }
  return estimateQuantile(bounds, counts, q);
}

/** What changed between two snapshots (buckets and per-key maps as differences). */
export function subtractSnapshots(now: MetricsSnapshot, before: MetricsSnapshot): MetricsSnapshot {
  const minus = (a: Map<string, number>, b: Map<string, number>): Map<string, number> => {
    const out = new Map<string, number>();
    for (const [key, value] of a) if (value - (b.get(key) ?? 0) > 0) out.set(key, value - (b.get(key) ?? 0));
    return out;
  };
  const buckets = new Map<number, number>();
  for (const [bound, count] of now.durationBuckets) buckets.set(bound, count - (before.durationBuckets.get(bound) ?? 0));
  return {
    requests: now.requests - before.requests,
    errors: now.errors - before.errors,
    fallbacks: now.fallbacks - before.fallbacks,
    pending: now.pending,
    backendsHealthy: now.backendsHealthy,
    backendsTotal: now.backendsTotal,
    requestsByBackend: minus(now.requestsByBackend, before.requestsByBackend),
    attemptsByBackend: minus(now.attemptsByBackend, before.attemptsByBackend),
    failuresByBackend: minus(now.failuresByBackend, before.failuresByBackend),
    ejected: now.ejected,
    errorsByType: minus(now.errorsByType, before.errorsByType),
    durationBuckets: buckets,
  };
}
