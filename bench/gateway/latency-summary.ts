// Folds load runs into the numbers the benchmark reports: requests/s, p50, p99.

import type { LoadResult } from '../client/load-generator.js';
import { percentile } from '../report/sample-stats.js';

/** Throughput and latency of one target, over one or more runs. */
export interface LatencySummary {
  requests: number;
  failed: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Merges runs: throughput is total responses over total time, percentiles over every response. */
export function summarize(runs: readonly LoadResult[]): LatencySummary {
  let requests = 0;
  let failed = 0;
  let elapsedMs = 0;
  for (const run of runs) {
    requests += run.ok + run.failed;
    failed += run.failed;
    elapsedMs += run.elapsedMs;
  }
  const all = new Float64Array(requests);
  let offset = 0;
  for (const run of runs) {
    all.set(run.latenciesMs, offset);
    offset += run.latenciesMs.length;
  }
  all.sort();
  return {
    requests,
    failed,
    requestsPerSecond: elapsedMs === 0 ? 0 : (requests * 1000) / elapsedMs,
    p50Ms: percentile(all, 0.5),
    p99Ms: percentile(all, 0.99),
    maxMs: all.length === 0 ? 0 : all[all.length - 1]!,
  };
}

/**
 * Counts a Prometheus text exposition two ways: `series`, distinct (family, label set) with a
 * histogram's buckets, sum and count as one; and `samples`, every line (what Prometheus stores as series).
 */
export function countSeries(exposition: string): { series: number; samples: number } {
  let samples = 0;
  const histograms = new Set<string>();
  const seen = new Set<string>();
  for (const line of exposition.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      if (type === 'histogram' && name !== undefined) histograms.add(name);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    samples++;
    const brace = line.indexOf('{');
    const name = line.slice(0, brace < 0 ? line.indexOf(' ') : brace);
    const labels = brace < 0 ? '' : line.slice(brace, line.lastIndexOf('}') + 1).replace(/,?le="[^"]*"/, '');
    const base = name.replace(/_(bucket|sum|count)$/, '');
    const family = histograms.has(base) ? base : name;
    seen.add(family + labels);
  }
  return { series: seen.size, samples };
}
