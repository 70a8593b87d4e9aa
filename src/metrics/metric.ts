// The shared shape of a metric family: its label children (nested maps, one level per label, so two
// different label sets can never share a key), the series cap with its overflow series, and rendering.

import { renderFamilyHeader, renderLabelPairs } from './exposition.js';
import type { ExpositionFormat } from './exposition-format.js';
import type { ExpositionWriter } from './exposition-writer.js';
import { OVERFLOW_LABEL_VALUE, validateMetricOptions, type MetricOptions, type MetricType, type Series, type SeriesFactory } from './metric-definition.js';
import { MetricDefinitionError } from './names.js';
import { renderOpenMetricsHeader } from './openmetrics.js';

type SeriesNode<C> = Map<string, SeriesNode<C> | C>;

/** Base class of counters, gauges and histograms: label lookup, series cap and rendering. */
export abstract class Metric<C extends Series> {
  /** Metric name. */
  readonly name: string;
  /** HELP text. */
  readonly help: string;
  /** Label names in order. */
  readonly labelNames: readonly string[];
  /** Prometheus type. */
  readonly type: MetricType;
  /** Cap on distinct label sets (the overflow series not included). */
  readonly maxSeries: number;
  private readonly depth: number;
  /** Unlabelled: the one series. Labelled: a detached sink, so direct recording on a labelled metric is a no-op. */
  protected readonly direct: C;
  private readonly header: Buffer;
  private readonly openMetricsHeader: Buffer;
  private readonly factory: SeriesFactory<C>;
  private readonly root: SeriesNode<C> = new Map();
  private readonly children: C[] = [];
  private readonly overflow: C | null;
  private overflowUsed = false;
  private sorted = true;
  private readonly collector: ((metric: never) => void) | null;

  protected constructor(
    options: MetricOptions<never>,
    type: MetricType,
    reservedLabels: readonly string[],
    factory: SeriesFactory<C>,
  ) {
    const { labelNames, maxSeries } = validateMetricOptions(options, reservedLabels);
    this.name = options.name;
    this.help = options.help;
    this.labelNames = labelNames;
    this.type = type;
    this.maxSeries = maxSeries;
    this.depth = labelNames.length;
    this.header = Buffer.from(renderFamilyHeader(options.name, options.help, type));
    this.openMetricsHeader = Buffer.from(renderOpenMetricsHeader(options.name, options.help, type));
    this.factory = factory;
    this.collector = options.collect ?? null;
    if (labelNames.length === 0) {
      this.direct = factory([], '');
      this.children.push(this.direct);
      this.overflow = null;
    } else {
      this.direct = factory(labelNames.map(() => ''), '');
      const overflowValues = labelNames.map(() => OVERFLOW_LABEL_VALUE);
      this.overflow = factory(overflowValues, renderLabelPairs(labelNames, overflowValues));
    }
  }

  /**
   * Returns the series for these label values, created on first use and the same object afterwards,
   * so callers can bind it once and keep it. Throws only on a wrong number of values (a programming error).
   */
  labels(...values: string[]): C {
    const depth = values.length;
    if (depth !== this.depth) return this.create(values);
    // Unrolled for the common arities: 18 -> 7 ns per 2-label lookup against the generic walk
    // (bench/metrics/recording.bench.ts), because V8 then keeps the rest array off the heap.
    const root = this.root;
    switch (depth) {
      case 0:
        return this.direct;
      case 1: {
        const child = root.get(values[0] as string);
        return child === undefined ? this.create(values) : (child as C);
      }
      case 2: {
        const level = root.get(values[0] as string) as SeriesNode<C> | undefined;
        const child = level === undefined ? undefined : level.get(values[1] as string);
        return child === undefined ? this.create(values) : (child as C);
      }
      case 3: {
        const level1 = root.get(values[0] as string) as SeriesNode<C> | undefined;
        const level2 = level1 === undefined ? undefined : (level1.get(values[1] as string) as SeriesNode<C> | undefined);
        const child = level2 === undefined ? undefined : level2.get(values[2] as string);
        return child === undefined ? this.create(values) : (child as C);
      }
      default: {
        const child = this.find(...values);
        return child === undefined ? this.create(values) : child;
      }
    }
  }

  /** Returns the existing series for these label values without creating one. */
  find(...values: string[]): C | undefined {
    if (values.length !== this.labelNames.length) return undefined;
    if (values.length === 0) return this.direct;
    let node: SeriesNode<C> | C | undefined = this.root;
    for (let i = 0; i < values.length && node !== undefined; i++) {
      node = (node as SeriesNode<C>).get(String(values[i]));
    }
    return node as C | undefined;
  }

  /** Every live series in a deterministic order (sorted by label values; the overflow series last). */
  series(): readonly C[] {
    if (!this.sorted) {
      this.children.sort(compareSeries);
      this.sorted = true;
    }
    if (this.overflow !== null && this.overflowUsed) return [...this.children, this.overflow];
    return this.children;
  }

  /** Number of distinct label sets held (the overflow series not included). */
  get size(): number {
    return this.labelNames.length === 0 ? 1 : this.children.length;
  }

  /** True once some label set was folded into the overflow series. */
  get overflowed(): boolean {
    return this.overflowUsed;
  }

  /**
   * Removes every labelled series, for collectors that recompute their label sets at each scrape;
   * series bound before are detached. An unlabelled metric keeps its one series.
   */
  clear(): void {
    if (this.depth === 0) return;
    this.root.clear();
    this.children.length = 0;
    this.overflowUsed = false;
    this.sorted = true;
  }

  /** Runs the collect callback, if any, so scrape-time values are fresh. */
  collect(): void {
    if (this.collector !== null) this.collector(this as never);
  }

  /** Writes the whole family (its metadata lines, then every series) in `format`. */
  write(out: ExpositionWriter, format: ExpositionFormat = 'prometheus'): void {
    out.bytes(format === 'openmetrics' ? this.openMetricsHeader : this.header);
    const all = this.series();
    for (let i = 0; i < all.length; i++) (all[i] as C).write(out, format);
  }

  private create(rawValues: readonly unknown[]): C {
    const depth = this.labelNames.length;
    if (rawValues.length !== depth) {
      throw new MetricDefinitionError(
        `metric ${this.name}: expected ${depth} label value(s) (${this.labelNames.join(', ')}), got ${rawValues.length}`,
      );
    }
    const values = rawValues.map(String);
    const existing = this.find(...values);
    if (existing !== undefined) return existing;
    const overflow = this.overflow as C;
    const isOverflowSet = values.every((v) => v === OVERFLOW_LABEL_VALUE);
    if (!isOverflowSet && this.children.length >= this.maxSeries) {
      // Not inserted: the map must stay bounded by the cap, whatever clients send.
      this.overflowUsed = true;
      return overflow;
    }
    const child = isOverflowSet ? overflow : this.factory(Object.freeze(values), renderLabelPairs(this.labelNames, values));
    let node = this.root;
    for (let i = 0; i < depth - 1; i++) {
      const key = values[i] as string;
      let next = node.get(key) as SeriesNode<C> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(key, next);
      }
      node = next;
    }
    node.set(values[depth - 1] as string, child);
    if (isOverflowSet) {
      this.overflowUsed = true;
    } else {
      this.children.push(child);
      this.sorted = false;
    }
    return child;
  }
}

function compareSeries(a: Series, b: Series): number {
  const x = a.labelValues;
  const y = b.labelValues;
  for (let i = 0; i < x.length; i++) {
    const p = x[i] as string;
    const q = y[i] as string;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}
