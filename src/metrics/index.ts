// Public entry point of the metrics library (`nexus-gateway/metrics`): zero dependencies, usable alone.

export { Registry, type RegistryOptions, type AnyMetric } from './registry.js';
export { Counter, CounterSeries } from './counter.js';
export { Gauge, GaugeSeries } from './gauge.js';
export { Histogram, HistogramSeries, DEFAULT_BUCKETS, type HistogramOptions } from './histogram.js';
export { Metric } from './metric.js';
export { DEFAULT_MAX_SERIES, OVERFLOW_LABEL_VALUE, type MetricOptions, type MetricType, type Series } from './metric-definition.js';
export { MetricDefinitionError } from './names.js';
export { LabelSanitizer, sanitizeLabelValue, DEFAULT_SANITIZER_CACHE_SIZE } from './label-sanitizer.js';
export { ExpositionWriter } from './exposition-writer.js';
export { PROMETHEUS_CONTENT_TYPE, escapeLabelValue, formatNumber } from './exposition.js';
export { registerRuntimeMetrics, type RuntimeMetrics, type RuntimeMetricsOptions } from './runtime/register-runtime-metrics.js';
export { RUNTIME_AGGREGATION, type RuntimeAggregator } from './runtime/aggregation.js';
export { OPENMETRICS_CONTENT_TYPE, findContentType, negotiateExpositionFormat, type ExpositionFormat } from './exposition-format.js';
export { MAX_EXEMPLAR_LABEL_CHARS, formatCanonicalNumber } from './openmetrics.js';
export { BufferPool, PooledExposition, DEFAULT_POOLED_BUFFERS } from './buffer-pool.js';
