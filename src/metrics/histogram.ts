// Fixed-bucket histograms: per-bucket counts in a Float64Array of bounds + 1, made cumulative only
// when rendered, so an observation is one linear scan over a dozen bounds and three additions; with
// exemplars on, the latest exemplar per bucket lives in preallocated parallel arrays.

import { formatNumber, renderSeriesName } from './exposition.js';
import type { ExpositionFormat } from './exposition-format.js';
import type { ExpositionWriter } from './exposition-writer.js';
import { HistogramText, type HistogramLines, type HistogramState } from './histogram-text.js';
import { Metric } from './metric.js';
import type { MetricOptions, Series } from './metric-definition.js';
import { assertLabelNames, MetricDefinitionError, toBucketBounds } from './names.js';
import { fitsExemplarLimit, formatCanonicalNumber, MAX_EXEMPLAR_LABEL_CHARS } from './openmetrics.js';

/** What every series of one histogram family shares. */
interface HistogramShape {
  readonly name: string;
  readonly bounds: Float64Array;
  /** Exemplar label name, or null when the family keeps no exemplars. */
  readonly exemplarLabel: string | null;
}

/** One histogram series. Keep it after `labels()` and call `observe()` on it directly. */
export class HistogramSeries implements Series, HistogramState {
  /** Sum of observed values. */
  sum = 0;
  /** Number of observations. */
  count = 0;
  /** Non-cumulative count per bucket; the last slot is the +Inf bucket. */
  readonly bucketCounts: Float64Array;
  /** Label values of this series. */
  readonly labelValues: readonly string[];
  /** Per bucket, the label value of the latest exemplar that landed there (`''`: none); null without exemplars. */
  readonly exemplarLabels: string[] | null;
  /** Per bucket, the observed value of that exemplar. */
  readonly exemplarValues: Float64Array | null;
  /** Per bucket, that exemplar's timestamp in seconds since the epoch. */
  readonly exemplarTimes: Float64Array | null;
  private readonly shape: HistogramShape;
  private readonly bounds: Float64Array;
  private readonly pairs: string;
  private prometheusText: HistogramText | null = null;
  private openMetricsText: HistogramText | null = null;

  /** Builds a series; its line prefixes are rendered on its first scrape in each format. */
  constructor(shape: HistogramShape, labelValues: readonly string[], pairs: string) {
    const buckets = shape.bounds.length + 1;
    this.shape = shape;
    this.bounds = shape.bounds;
    this.labelValues = labelValues;
    this.pairs = pairs;
    this.bucketCounts = new Float64Array(buckets);
    const exemplars = shape.exemplarLabel !== null;
    this.exemplarLabels = exemplars ? new Array<string>(buckets).fill('') : null;
    this.exemplarValues = exemplars ? new Float64Array(buckets) : null;
    this.exemplarTimes = exemplars ? new Float64Array(buckets) : null;
  }

  /** Records one value; NaN is dropped. A value equal to a bound lands in that bound's bucket (`le`). */
  observe(v: number): void {
    if (v !== v) return;
    this.countValue(v);
  }

  /**
   * Records one value and makes `label` (e.g. the request id) the latest exemplar of the bucket it
   * lands in. The exemplar is skipped, the value still recorded, when the family keeps no exemplars,
   * `label` is empty, the label would break the 128-character OpenMetrics limit, or the time is not finite.
   */
  observeWithExemplar(v: number, label: string, timestampSeconds: number = Date.now() / 1000): void {
    if (v !== v) return;
    const i = this.countValue(v);
    const labels = this.exemplarLabels;
    if (labels === null || label === '' || !Number.isFinite(timestampSeconds)) return;
    if (!fitsExemplarLimit(this.shape.exemplarLabel as string, label)) return;
    labels[i] = label;
    (this.exemplarValues as Float64Array)[i] = v;
    (this.exemplarTimes as Float64Array)[i] = timestampSeconds;
  }

  // One linear scan over a dozen bounds (cheaper than a binary search at this size, bench/metrics);
  // returns the bucket the value landed in. Small enough for V8 to inline into both callers.
  private countValue(v: number): number {
    const bounds = this.bounds;
    const n = bounds.length;
    let i = 0;
    while (i < n && v > (bounds[i] as number)) i++;
    this.bucketCounts[i]!++;
    this.sum += v;
    this.count++;
    return i;
  }

  /** Cumulative count of observations <= each bound, then +Inf (equal to `count`). */
  cumulativeCounts(): number[] {
    const out: number[] = [];
    let acc = 0;
    for (let i = 0; i < this.bucketCounts.length; i++) out.push((acc += this.bucketCounts[i] as number));
    return out;
  }

  /**
   * Drops the cached text. Rendering refreshes a series when its `count` moves; code that writes
   * `bucketCounts` or `sum` directly without moving `count` calls this afterwards.
   */
  invalidate(): void {
    this.prometheusText?.invalidate();
    this.openMetricsText?.invalidate();
  }

  /** Writes the bucket, sum and count lines of this series (exemplars in OpenMetrics only). */
  write(out: ExpositionWriter, format: ExpositionFormat): void {
    let text = format === 'openmetrics' ? this.openMetricsText : this.prometheusText;
    if (text === null) {
      text = new HistogramText(renderLines(this.shape, this.pairs, format));
      if (format === 'openmetrics') this.openMetricsText = text;
      else this.prometheusText = text;
    }
    out.append(text.render(this));
  }
}

function renderLines(shape: HistogramShape, pairs: string, format: ExpositionFormat): HistogramLines {
  const { name, bounds, exemplarLabel } = shape;
  const open = format === 'openmetrics';
  const sep = pairs === '' ? '' : pairs + ',';
  const buckets: Buffer[] = [];
  for (let i = 0; i <= bounds.length; i++) {
    const bound = i < bounds.length ? (bounds[i] as number) : Infinity;
    // OpenMetrics requires canonical `le` values (`1.0`); text 0.0.4 keeps the shortest spelling (`1`).
    const le = open ? formatCanonicalNumber(bound) : formatNumber(bound);
    buckets.push(Buffer.from(name + '_bucket{' + sep + 'le="' + le + '"} '));
  }
  // OpenMetrics: a histogram with a negative bound MUST NOT expose a sum, and exposes `_count` only with one.
  const tail = !open || (bounds[0] as number) >= 0;
  return {
    buckets,
    sum: tail ? Buffer.from(renderSeriesName(name + '_sum', pairs) + ' ') : null,
    count: tail ? Buffer.from(renderSeriesName(name + '_count', pairs) + ' ') : null,
    exemplarOpen: open && exemplarLabel !== null ? Buffer.from(' # {' + exemplarLabel + '="') : null,
  };
}

/** Options of a histogram: the common ones plus its bucket upper bounds (+Inf is implicit). */
export interface HistogramOptions extends MetricOptions<Histogram> {
  /** Strictly increasing finite upper bounds. */
  buckets?: readonly number[];
  /**
   * Name of the exemplar label (e.g. `request_id`): each series then keeps, per bucket, the latest
   * value passed to `observeWithExemplar`, shown on `_bucket` lines in OpenMetrics output.
   */
  exemplarLabel?: string;
}

/** Prometheus client default buckets, used when none are given. */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A histogram family. Unlabelled histograms record directly with `observe()`. */
export class Histogram extends Metric<HistogramSeries> {
  /** Bucket upper bounds, +Inf excluded. */
  readonly buckets: readonly number[];
  /** Exemplar label name, or null when this family keeps no exemplars. */
  readonly exemplarLabel: string | null;

  /** Builds a histogram; prefer `Registry.histogram()`, which also registers it. */
  constructor(options: HistogramOptions) {
    const bounds = toBucketBounds(options.name, options.buckets ?? DEFAULT_BUCKETS);
    const exemplarLabel = options.exemplarLabel ?? null;
    if (exemplarLabel !== null) {
      assertLabelNames(options.name, [exemplarLabel], []);
      if (exemplarLabel.length >= MAX_EXEMPLAR_LABEL_CHARS) {
        throw new MetricDefinitionError(`metric ${options.name}: exemplar label name leaves no room for a value within ${MAX_EXEMPLAR_LABEL_CHARS} characters`);
      }
    }
    const shape: HistogramShape = { name: options.name, bounds, exemplarLabel };
    super(options as MetricOptions<never>, 'histogram', ['le'], (values, pairs) => new HistogramSeries(shape, values, pairs));
    this.buckets = Object.freeze(Array.from(bounds));
    this.exemplarLabel = exemplarLabel;
  }

  /** Records on the unlabelled histogram (a no-op on a labelled one: use `labels()`). */
  observe(v: number): void {
    this.direct.observe(v);
  }

  /** Records on the unlabelled histogram with an exemplar (a no-op on a labelled one). */
  observeWithExemplar(v: number, label: string, timestampSeconds?: number): void {
    this.direct.observeWithExemplar(v, label, timestampSeconds);
  }
}
