// The registry: builds and names metric families, rejects duplicates, and renders them all.

import { Counter } from './counter.js';
import { Gauge } from './gauge.js';
import { Histogram, type HistogramOptions } from './histogram.js';
import { DEFAULT_MAX_SERIES, type Metric, type MetricOptions, type Series } from './metric.js';
import { MetricDefinitionError } from './names.js';
import { ExpositionWriter } from './exposition-writer.js';

/** Options of a registry. */
export interface RegistryOptions {
  /** Default series cap for every metric built here (a metric's own `maxSeries` wins). */
  maxSeriesPerMetric?: number;
}

/** Any metric family held by a registry. */
export type AnyMetric = Metric<Series>;

/** Holds metric families in registration order and renders them as Prometheus text. */
export class Registry {
  /** Default series cap for metrics built here. */
  readonly maxSeriesPerMetric: number;
  private readonly families: AnyMetric[] = [];
  // Every sample name a family will emit (`x`, or `x_bucket`/`x_sum`/`x_count`), to refuse clashes.
  private readonly sampleNames = new Map<string, string>();
  private lastSize = 0;

  /** Builds an empty registry. */
  constructor(options: RegistryOptions = {}) {
    this.maxSeriesPerMetric = options.maxSeriesPerMetric ?? DEFAULT_MAX_SERIES;
  }

  /** Builds and registers a counter. */
  counter(options: MetricOptions<Counter>): Counter {
    return this.add(new Counter(this.withCap(options)));
  }

  /** Builds and registers a gauge. */
  gauge(options: MetricOptions<Gauge>): Gauge {
    return this.add(new Gauge(this.withCap(options)));
  }

  /** Builds and registers a histogram. */
  histogram(options: HistogramOptions): Histogram {
    return this.add(new Histogram(this.withCap(options)));
  }

  /** The family registered under `name`, if any. */
  get(name: string): AnyMetric | undefined {
    for (const family of this.families) if (family.name === name) return family;
    return undefined;
  }

  /** Every registered family in registration order. */
  metrics(): readonly AnyMetric[] {
    return this.families;
  }

  /** Runs every collect callback, then renders all families as Prometheus text 0.0.4, UTF-8 bytes ready to send. */
  renderBytes(): Buffer {
    const families = this.families;
    for (let i = 0; i < families.length; i++) (families[i] as AnyMetric).collect();
    // Sized from the previous exposition, so a steady fleet's scrape allocates its buffer once.
    const out = new ExpositionWriter(this.lastSize + (this.lastSize >> 3));
    for (let i = 0; i < families.length; i++) (families[i] as AnyMetric).write(out);
    const bytes = out.finish();
    this.lastSize = bytes.length;
    return bytes;
  }

  /** `renderBytes()` as a string. */
  render(): string {
    return this.renderBytes().toString('utf8');
  }

  private withCap<O extends { maxSeries?: number }>(options: O): O {
    return options.maxSeries === undefined ? { ...options, maxSeries: this.maxSeriesPerMetric } : options;
  }

  private add<M extends AnyMetric>(metric: M): M {
    const names = metric.type === 'histogram' ? ['_bucket', '_sum', '_count'].map((s) => metric.name + s) : [metric.name];
    for (const sample of [metric.name, ...names]) {
      const owner = this.sampleNames.get(sample);
      if (owner !== undefined) {
        throw new MetricDefinitionError(`metric ${metric.name} clashes with already registered metric ${owner}`);
      }
    }
    for (const sample of [metric.name, ...names]) this.sampleNames.set(sample, metric.name);
    this.families.push(metric);
    return metric;
  }
}
