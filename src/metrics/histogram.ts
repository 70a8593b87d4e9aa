// Fixed-bucket histograms: per-bucket counts in a Float64Array of bounds + 1, made cumulative only
// when rendered, so an observation is one linear scan over a dozen bounds and three additions.

import { formatNumber, renderSeriesName } from './exposition.js';
import type { ExpositionWriter } from './exposition-writer.js';
import { Metric, type MetricOptions, type Series } from './metric.js';
import { toBucketBounds } from './names.js';

/** One histogram series. Keep it after `labels()` and call `observe()` on it directly. */
export class HistogramSeries implements Series {
  /** Sum of observed values. */
  sum = 0;
  /** Number of observations. */
  count = 0;
  /** Non-cumulative count per bucket; the last slot is the +Inf bucket. */
  readonly bucketCounts: Float64Array;
  /** Label values of this series. */
  readonly labelValues: readonly string[];
  private readonly bounds: Float64Array;
  private readonly bucketPrefixes: readonly Buffer[];
  private readonly sumPrefix: Buffer;
  private readonly countPrefix: Buffer;

  /** Builds a series with its bucket, sum and count line prefixes pre-rendered. */
  constructor(name: string, bounds: Float64Array, labelValues: readonly string[], pairs: string) {
    this.labelValues = labelValues;
    this.bounds = bounds;
    this.bucketCounts = new Float64Array(bounds.length + 1);
    const sep = pairs === '' ? '' : pairs + ',';
    const prefixes: Buffer[] = [];
    for (let i = 0; i <= bounds.length; i++) {
      const le = i < bounds.length ? formatNumber(bounds[i] as number) : '+Inf';
      prefixes.push(Buffer.from(name + '_bucket{' + sep + 'le="' + le + '"} '));
    }
    this.bucketPrefixes = prefixes;
    this.sumPrefix = Buffer.from(renderSeriesName(name + '_sum', pairs) + ' ');
    this.countPrefix = Buffer.from(renderSeriesName(name + '_count', pairs) + ' ');
  }

  /** Records one value; NaN is dropped. A value equal to a bound lands in that bound's bucket (`le`). */
  observe(v: number): void {
    if (v !== v) return;
    const bounds = this.bounds;
    const n = bounds.length;
    let i = 0;
    while (i < n && v > (bounds[i] as number)) i++;
    this.bucketCounts[i]!++;
    this.sum += v;
    this.count++;
  }

  /** Cumulative count of observations <= each bound, then +Inf (equal to `count`). */
  cumulativeCounts(): number[] {
    const out: number[] = [];
    let acc = 0;
    for (let i = 0; i < this.bucketCounts.length; i++) out.push((acc += this.bucketCounts[i] as number));
    return out;
  }

  /** Writes the bucket, sum and count lines of this series. */
  write(out: ExpositionWriter): void {
    let acc = 0;
    const counts = this.bucketCounts;
    const prefixes = this.bucketPrefixes;
    for (let i = 0; i < counts.length; i++) {
      acc += counts[i] as number;
      out.bytes(prefixes[i] as Buffer);
      out.valueLine(acc);
    }
    out.bytes(this.sumPrefix);
    out.valueLine(this.sum);
    out.bytes(this.countPrefix);
    out.valueLine(this.count);
  }
}

/** Options of a histogram: the common ones plus its bucket upper bounds (+Inf is implicit). */
export interface HistogramOptions extends MetricOptions<Histogram> {
  /** Strictly increasing finite upper bounds. */
  buckets?: readonly number[];
}

/** Prometheus client default buckets, used when none are given. */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A histogram family. Unlabelled histograms record directly with `observe()`. */
export class Histogram extends Metric<HistogramSeries> {
  /** Bucket upper bounds, +Inf excluded. */
  readonly buckets: readonly number[];

  /** Builds a histogram; prefer `Registry.histogram()`, which also registers it. */
  constructor(options: HistogramOptions) {
    const bounds = toBucketBounds(options.name, options.buckets ?? DEFAULT_BUCKETS);
    super(options as MetricOptions<never>, 'histogram', ['le'], (values, pairs) =>
      new HistogramSeries(options.name, bounds, values, pairs),
    );
    this.buckets = Object.freeze(Array.from(bounds));
  }

  /** Records on the unlabelled histogram (a no-op on a labelled one: use `labels()`). */
  observe(v: number): void {
    this.direct.observe(v);
  }
}
