// Gauges: values that go up and down, set directly or filled at scrape time by a collect callback.

import { formatNumber, renderSeriesName } from './exposition.js';
import { Metric, type MetricOptions, type Series } from './metric.js';

/** One gauge series. Keep it after `labels()` and record on it directly. */
export class GaugeSeries implements Series {
  /** Current value. */
  value = 0;
  /** Label values of this series. */
  readonly labelValues: readonly string[];
  private readonly prefix: string;

  /** Builds a series; `prefix` is the pre-rendered `name{labels} ` text of its sample line. */
  constructor(labelValues: readonly string[], prefix: string) {
    this.labelValues = labelValues;
    this.prefix = prefix;
  }

  /** Sets the value; NaN is dropped. */
  set(v: number): void {
    if (v === v) this.value = v;
  }

  /** Adds `n` (default 1); NaN is dropped. */
  inc(n = 1): void {
    if (n === n) this.value += n;
  }

  /** Subtracts `n` (default 1); NaN is dropped. */
  dec(n = 1): void {
    if (n === n) this.value -= n;
  }

  /** The sample line of this series. */
  render(): string {
    return this.prefix + formatNumber(this.value) + '\n';
  }
}

/** A gauge family. Unlabelled gauges record directly. */
export class Gauge extends Metric<GaugeSeries> {
  /** Builds a gauge; prefer `Registry.gauge()`, which also registers it. */
  constructor(options: MetricOptions<Gauge>) {
    super(options as MetricOptions<never>, 'gauge', [], (values, pairs) =>
      new GaugeSeries(values, renderSeriesName(options.name, pairs) + ' '),
    );
  }

  /** Sets the unlabelled gauge. */
  set(v: number): void {
    this.direct.set(v);
  }

  /** Increments the unlabelled gauge. */
  inc(n = 1): void {
    this.direct.inc(n);
  }

  /** Decrements the unlabelled gauge. */
  dec(n = 1): void {
    this.direct.dec(n);
  }

  /** Value of the unlabelled gauge. */
  get value(): number {
    return this.direct.value;
  }
}
