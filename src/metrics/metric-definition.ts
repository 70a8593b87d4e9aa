// How a metric family is declared (name, help, label names, series cap, collect callback) and the
// checks that make a bad declaration throw when the family is built, never when it records.

import type { ExpositionFormat } from './exposition-format.js';
import type { ExpositionWriter } from './exposition-writer.js';
import { assertLabelNames, assertMetricName, MetricDefinitionError } from './names.js';

/** Label value given to every label of the overflow series that absorbs label sets beyond the cap. */
export const OVERFLOW_LABEL_VALUE = '_overflow';

/** Default cap on distinct label sets per metric. */
export const DEFAULT_MAX_SERIES = 10_000;

/** Prometheus metric type names. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** What every series (label child) exposes: its label values and its rendered sample lines. */
export interface Series {
  /** Label values in the order of the family's label names. */
  readonly labelValues: readonly string[];
  /** Writes the sample lines of this series in `format`, each ending in a newline. */
  write(out: ExpositionWriter, format: ExpositionFormat): void;
}

/** Options common to every metric family. */
export interface MetricOptions<M> {
  /** Metric name, e.g. `nexus_requests_total`. */
  name: string;
  /** HELP text. */
  help: string;
  /** Label names; none means the metric records directly. */
  labelNames?: readonly string[];
  /** Cap on distinct label sets; further sets fold into one overflow series. */
  maxSeries?: number;
  /** Called before every render, to fill values computed from live state. */
  collect?: (metric: M) => void;
}

/** Builds a series for the given label values and their pre-rendered `a="x",b="y"` pairs. */
export type SeriesFactory<C extends Series> = (labelValues: readonly string[], labelPairs: string) => C;

/** A declaration that passed validation: frozen label names and the series cap. */
export interface ValidatedOptions {
  labelNames: readonly string[];
  maxSeries: number;
}

/** Checks a family's name, help, label names (none of `reservedLabels`) and cap; throws MetricDefinitionError. */
export function validateMetricOptions(options: MetricOptions<never>, reservedLabels: readonly string[]): ValidatedOptions {
  assertMetricName(options.name);
  if (typeof options.help !== 'string' || options.help === '') {
    throw new MetricDefinitionError(`metric ${options.name}: help text is required`);
  }
  const labelNames = Object.freeze([...(options.labelNames ?? [])]);
  assertLabelNames(options.name, labelNames, reservedLabels);
  const maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
  if (!Number.isInteger(maxSeries) || maxSeries < 1) {
    throw new MetricDefinitionError(`metric ${options.name}: maxSeries must be a positive integer`);
  }
  return { labelNames, maxSeries };
}
