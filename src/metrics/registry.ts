// The registry: builds and names metric families, rejects duplicates, and renders them all in either
// exposition format into pooled buffers.

import { BufferPool, DEFAULT_POOLED_BUFFERS, PooledExposition } from './buffer-pool.js';
import { Counter } from './counter.js';
import type { ExpositionFormat } from './exposition-format.js';
import { ExpositionWriter } from './exposition-writer.js';
import { Gauge } from './gauge.js';
import { Histogram, type HistogramOptions } from './histogram.js';
import type { Metric } from './metric.js';
import { DEFAULT_MAX_SERIES, type MetricOptions, type Series } from './metric-definition.js';
import { MetricDefinitionError } from './names.js';
import { OPENMETRICS_EOF, toOpenMetricsCounterSampleName, toOpenMetricsFamilyName } from './openmetrics.js';

/** Options of a registry. */
export interface RegistryOptions {
  /** Default series cap for every metric built here (a metric's own `maxSeries` wins). */
  maxSeriesPerMetric?: number;
  /** Free exposition buffers kept for reuse by `renderPooled()` (default 4). */
  pooledBuffers?: number;
}

/** Any metric family held by a registry. */
export type AnyMetric = Metric<Series>;

/** Holds metric families in registration order and renders them as Prometheus or OpenMetrics text. */
export class Registry {
  /** Default series cap for metrics built here. */
  readonly maxSeriesPerMetric: number;
  private readonly families: AnyMetric[] = [];
  // Every name a family uses in either format (`x`, `x_bucket`..., a counter's `x`/`x_total`), to refuse clashes.
  private readonly sampleNames = new Map<string, string>();
  private readonly pool: BufferPool;
  private lastPrometheusSize = 0;
  private lastOpenMetricsSize = 0;

  /** Builds an empty registry. */
  constructor(options: RegistryOptions = {}) {
    this.maxSeriesPerMetric = options.maxSeriesPerMetric ?? DEFAULT_MAX_SERIES;
    this.pool = new BufferPool(options.pooledBuffers ?? DEFAULT_POOLED_BUFFERS);
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

  /**
   * Runs every collect callback, then renders all families in `format` into a buffer from the
   * registry's pool. The caller sends `bytes` and calls `release()` when the response is done with them.
   */
  renderPooled(format: ExpositionFormat = 'prometheus'): PooledExposition {
    const families = this.families;
    for (let i = 0; i < families.length; i++) (families[i] as AnyMetric).collect();
    const open = format === 'openmetrics';
    const last = open ? this.lastOpenMetricsSize : this.lastPrometheusSize;
    // Sized from the previous exposition, so a new buffer is rarely grown while it is written.
    const out = new ExpositionWriter(this.pool.acquire(last + (last >> 3)));
    for (let i = 0; i < families.length; i++) (families[i] as AnyMetric).write(out, format);
    if (open) out.bytes(OPENMETRICS_EOF);
    const bytes = out.finish();
    if (open) this.lastOpenMetricsSize = bytes.length;
    else this.lastPrometheusSize = bytes.length;
    return new PooledExposition(bytes, format, this.pool, out.backing);
  }

  /** Renders like `renderPooled()` into a new buffer the caller owns (one copy more, nothing to release). */
  renderBytes(format: ExpositionFormat = 'prometheus'): Buffer {
    const pooled = this.renderPooled(format);
    const bytes = Buffer.allocUnsafe(pooled.bytes.length);
    pooled.bytes.copy(bytes);
    pooled.release();
    return bytes;
  }

  /** The exposition as a string. */
  render(format: ExpositionFormat = 'prometheus'): string {
    const pooled = this.renderPooled(format);
    const text = pooled.bytes.toString('utf8');
    pooled.release();
    return text;
  }

  private withCap<O extends { maxSeries?: number }>(options: O): O {
    return options.maxSeries === undefined ? { ...options, maxSeries: this.maxSeriesPerMetric } : options;
  }

  private add<M extends AnyMetric>(metric: M): M {
    const name = metric.name;
    const names = new Set([name, toOpenMetricsFamilyName(name, metric.type)]);
    if (metric.type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (metric.type === 'counter') names.add(toOpenMetricsCounterSampleName(name));
    for (const sample of names) {
      const owner = this.sampleNames.get(sample);
      if (owner !== undefined) throw new MetricDefinitionError(`metric ${name} clashes with already registered metric ${owner}`);
    }
    for (const sample of names) this.sampleNames.set(sample, name);
    this.families.push(metric);
    return metric;
  }
}
