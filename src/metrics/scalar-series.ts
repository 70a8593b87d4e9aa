// The shared part of counter and gauge series: one value and its pre-rendered sample lines.

import type { ExpositionFormat } from './exposition-format.js';
import type { ExpositionWriter } from './exposition-writer.js';
import type { Series } from './metric-definition.js';

/** A series holding a single number, rendered as one sample line. */
export class ScalarSeries implements Series {
  /** Current value. */
  value = 0;
  /** Label values of this series. */
  readonly labelValues: readonly string[];
  private readonly prefix: Buffer;
  private readonly openMetricsPrefix: Buffer;

  /**
   * Builds a series; `prefix` is the pre-rendered `name{labels} ` text of its sample line, and
   * `openMetricsPrefix` that of OpenMetrics when the sample name differs there (a counter without `_total`).
   */
  constructor(labelValues: readonly string[], prefix: string, openMetricsPrefix: string = prefix) {
    this.labelValues = labelValues;
    this.prefix = Buffer.from(prefix);
    this.openMetricsPrefix = openMetricsPrefix === prefix ? this.prefix : Buffer.from(openMetricsPrefix);
  }

  /** Writes the sample line of this series. */
  write(out: ExpositionWriter, format: ExpositionFormat): void {
    out.bytes(format === 'openmetrics' ? this.openMetricsPrefix : this.prefix);
    out.valueLine(this.value);
  }
}
