// How a cluster primary merges each runtime family across workers, as prom-client 15's
// AggregatorRegistry does with the `aggregator` it sets on each default metric.

/**
 * A cross-worker merge, per series (same name and label set): `sum`, `first` worker's value, `min`,
 * `max`, arithmetic `average`, or `omit` the family from the merged output (prom-client's meanings).
 */
export type RuntimeAggregator = 'sum' | 'first' | 'min' | 'max' | 'average' | 'omit';

/**
 * The aggregator of every family `registerRuntimeMetrics` can register, copied from prom-client's
 * lib/metrics/*.js; families that set none get prom-client's default, `sum`.
 */
export const RUNTIME_AGGREGATION: Readonly<Record<string, RuntimeAggregator>> = Object.freeze({
  process_cpu_user_seconds_total: 'sum',
  process_cpu_system_seconds_total: 'sum',
  process_cpu_seconds_total: 'sum',
  // Each worker started at its own time: no merged value means anything, so prom-client drops it.
  process_start_time_seconds: 'omit',
  process_resident_memory_bytes: 'sum',
  process_virtual_memory_bytes: 'sum',
  process_heap_bytes: 'sum',
  process_open_fds: 'sum',
  process_max_fds: 'sum',
  nodejs_eventloop_lag_seconds: 'average',
  nodejs_eventloop_lag_min_seconds: 'min',
  nodejs_eventloop_lag_max_seconds: 'max',
  nodejs_eventloop_lag_mean_seconds: 'average',
  nodejs_eventloop_lag_stddev_seconds: 'average',
  nodejs_eventloop_lag_p50_seconds: 'average',
  nodejs_eventloop_lag_p90_seconds: 'average',
  nodejs_eventloop_lag_p99_seconds: 'average',
  nodejs_active_resources: 'sum',
  nodejs_active_resources_total: 'sum',
  nodejs_active_handles: 'sum',
  nodejs_active_handles_total: 'sum',
  nodejs_active_requests: 'sum',
  nodejs_active_requests_total: 'sum',
  nodejs_heap_size_total_bytes: 'sum',
  nodejs_heap_size_used_bytes: 'sum',
  nodejs_external_memory_bytes: 'sum',
  nodejs_heap_space_size_total_bytes: 'sum',
  nodejs_heap_space_size_used_bytes: 'sum',
  nodejs_heap_space_size_available_bytes: 'sum',
  // Every worker runs the same binary: one copy of the info series, not N summed into N.
  nodejs_version_info: 'first',
  nodejs_gc_duration_seconds: 'sum',
});
