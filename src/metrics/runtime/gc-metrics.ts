// Garbage-collection pauses as prom-client 15 reports them: a histogram by GC kind, fed by a
// PerformanceObserver on 'gc' entries, the one runtime metric that records between scrapes.

import { constants, PerformanceObserver } from 'node:perf_hooks';
import type { HistogramSeries } from '../histogram.js';
import type { Registry } from '../registry.js';

// A 'gc' entry: `detail.kind` since Node 16 (@types/node 20 does not declare `detail`).
interface GcEntry {
  readonly duration: number;
  readonly detail?: { readonly kind?: number } | null;
}

/** prom-client's default `gcDurationBuckets`, in seconds. */
export const DEFAULT_GC_DURATION_BUCKETS: readonly number[] = [0.001, 0.01, 0.1, 1, 2, 5];

/** The `kind` label of a GC entry's `detail.kind` flag, as prom-client names it. */
export function toGcKindLabel(kind: number): string {
  switch (kind) {
    case constants.NODE_PERFORMANCE_GC_MAJOR:
      return 'major';
    case constants.NODE_PERFORMANCE_GC_MINOR:
      return 'minor';
    case constants.NODE_PERFORMANCE_GC_INCREMENTAL:
      return 'incremental';
    case constants.NODE_PERFORMANCE_GC_WEAKCB:
      return 'weakcb';
    default:
      // No other kind exists in Node 20; kept visible rather than dropped should V8 add one.
      return 'unknown';
  }
}

/** Registers `nodejs_gc_duration_seconds` and starts observing GC; returns a function that stops it. */
export function registerGcMetrics(registry: Registry, buckets: readonly number[] = DEFAULT_GC_DURATION_BUCKETS): () => void {
  const histogram = registry.histogram({
    name: 'nodejs_gc_duration_seconds',
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    labelNames: ['kind'],
    buckets,
  });
  // Series are bound on a kind's first GC (prom-client creates them then too) and kept by flag value,
  // so an observation is one array read and one observe().
  const byKind: (HistogramSeries | undefined)[] = [];
  const observer = new PerformanceObserver((list) => {
    // Every entry: prom-client reads only the first of each batch and so undercounts busy GC periods.
    const entries = list.getEntries();
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as GcEntry;
      const kind = entry.detail?.kind ?? 0;
      let series = byKind[kind];
      if (series === undefined) series = byKind[kind] = histogram.labels(toGcKindLabel(kind));
      series.observe(entry.duration / 1e3);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
