// Validation of metric names, label names and histogram buckets: mistakes here are programming
// errors, so they throw when a metric is built, never when it records.

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Error thrown when a metric definition is invalid (bad name, bad buckets, duplicate). */
export class MetricDefinitionError extends Error {
  override readonly name = 'MetricDefinitionError';
}

/** Throws unless `name` is a valid Prometheus metric name. */
export function assertMetricName(name: string): void {
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    throw new MetricDefinitionError(`invalid metric name ${JSON.stringify(name)}: must match ${METRIC_NAME.source}`);
  }
}

/** Throws unless every label name is valid, unreserved (`__*`, and `le` for histograms) and unique. */
export function assertLabelNames(metric: string, labelNames: readonly string[], reserved: readonly string[]): void {
  const seen = new Set<string>();
  for (const label of labelNames) {
    if (typeof label !== 'string' || !LABEL_NAME.test(label)) {
      throw new MetricDefinitionError(`metric ${metric}: invalid label name ${JSON.stringify(label)}: must match ${LABEL_NAME.source}`);
    }
    if (label.startsWith('__')) {
      throw new MetricDefinitionError(`metric ${metric}: label name ${label} is reserved (names starting with __ belong to Prometheus)`);
    }
    if (reserved.includes(label)) {
      throw new MetricDefinitionError(`metric ${metric}: label name ${label} is reserved for this metric type`);
    }
    if (seen.has(label)) throw new MetricDefinitionError(`metric ${metric}: duplicate label name ${label}`);
    seen.add(label);
  }
}

/** Throws unless buckets are non-empty, finite and strictly increasing; returns them as a Float64Array. */
export function toBucketBounds(metric: string, buckets: readonly number[]): Float64Array {
  if (!Array.isArray(buckets) || buckets.length === 0) {
    throw new MetricDefinitionError(`metric ${metric}: buckets must be a non-empty array of numbers`);
  }
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i];
    if (typeof b !== 'number' || !Number.isFinite(b)) {
      throw new MetricDefinitionError(`metric ${metric}: bucket ${String(b)} is not a finite number (+Inf is implicit)`);
    }
    const previous = buckets[i - 1];
    if (previous !== undefined && b <= previous) {
      throw new MetricDefinitionError(`metric ${metric}: buckets must be strictly increasing (${previous} then ${b})`);
    }
  }
  return Float64Array.from(buckets);
}
