// The shared part of counter and gauge series: one value and its pre-rendered sample line.

import type { ExpositionWriter } from './exposition-writer.js';
import type { Series } from './metric.js';

/** A series holding a single number, rendered as one sample line. */
export class ScalarSeries implements Series {
  /** Current value. */
  value = 0;
  /** Label values of this series. */
  readonly labelValues: readonly string[];
  private readonly prefix: Buffer;

  /** Builds a series; `prefix` is the pre-rendered `name{labels} ` text of its sample line. */
  constructor(labelValues: readonly string[], prefix: string) {
    this.labelValues = labelValues;
    this.prefix = Buffer.from(prefix);
  }

  /** Writes the sample line of this series. */
  write(out: ExpositionWriter): void {
    out.bytes(this.prefix);
    out.valueLine(this.value);
  }
}
