// Gauges: values that go up and down, set directly or filled at scrape time by a collect callback.

import { renderSeriesName } from './exposition.js';
import { Metric } from './metric.js';
import type { MetricOptions } from './metric-definition.js';
import { ScalarSeries } from './scalar-series.js';

/** One gauge series. Keep it after `labels()` and record on it directly. */
export class GaugeSeries extends ScalarSeries {
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
