// Counters: monotonically increasing values, one per label set.

import { renderSeriesName } from './exposition.js';
import { Metric } from './metric.js';
import type { MetricOptions } from './metric-definition.js';
import { toOpenMetricsCounterSampleName } from './openmetrics.js';
import { ScalarSeries } from './scalar-series.js';

/** One counter series. Keep it after `labels()` and call `inc()` on it directly. */
export class CounterSeries extends ScalarSeries {
  /** Adds `n` (default 1). NaN, negative and infinite increments are dropped, never thrown. */
  inc(n = 1): void {
    if (n >= 0 && n !== Infinity) this.value += n;
  }
}

/** A counter family. Unlabelled counters record directly with `inc()`. */
export class Counter extends Metric<CounterSeries> {
  /** Builds a counter; prefer `Registry.counter()`, which also registers it. */
  constructor(options: MetricOptions<Counter>) {
    super(options as MetricOptions<never>, 'counter', [], (values, pairs) =>
      new CounterSeries(
        values,
        renderSeriesName(options.name, pairs) + ' ',
        renderSeriesName(toOpenMetricsCounterSampleName(options.name), pairs) + ' ',
      ),
    );
  }

  /** Increments the unlabelled counter (a no-op on a labelled one: use `labels()`). */
  inc(n = 1): void {
    this.direct.inc(n);
  }

  /** Value of the unlabelled counter. */
  get value(): number {
    return this.direct.value;
  }
}
