// The binary snapshot of a registry a worker pushes to the primary: a family and series table sent
// once (each new entry only in the push that first sees it), then all values in one Float64Array.

import type { AnyMetric, Histogram, HistogramSeries, MetricType, Registry, Series } from '../metrics/index.js';

/** What the primary needs to rebuild a family: name, help, type, labels and buckets. */
export interface FamilyDescriptor {
  name: string;
  help: string;
  type: MetricType;
  labelNames: readonly string[];
  /** Bucket bounds of a histogram (+Inf implicit); empty for counters and gauges. */
  buckets: readonly number[];
  /** Exemplar label of a histogram that keeps exemplars, else null. */
  exemplarLabel: string | null;
}

/** One new series: the index of its family (in descriptor order) and its label values; its id is its position. */
export type SeriesEntry = readonly [familyIndex: number, labelValues: readonly string[]];

/** An exemplar that changed since the previous push: series id, bucket, label value, value, time (s). */
export type ExemplarEntry = readonly [id: number, bucket: number, label: string, value: number, timeSeconds: number];

/**
 * One push. `families` and `series` hold only entries new since the previous push (ids continue);
 * `values` holds every series in id order, `widthOf` floats each; NaN marks a series absent now.
 */
export interface SnapshotPush {
  families: FamilyDescriptor[];
  series: SeriesEntry[];
  values: Float64Array;
  exemplars: ExemplarEntry[];
}

/** Floats one series takes: a counter or gauge 1; a histogram its buckets (+Inf included), sum and count. */
export function widthOf(family: FamilyDescriptor): number {
  return family.type === 'histogram' ? family.buckets.length + 3 : 1;
}

/** Describes a family of a registry. */
export function describeFamily(metric: AnyMetric): FamilyDescriptor {
  const histogram = metric.type === 'histogram' ? (metric as unknown as Histogram) : null;
  const buckets = histogram === null ? [] : histogram.buckets;
  return { name: metric.name, help: metric.help, type: metric.type, labelNames: metric.labelNames, buckets, exemplarLabel: histogram?.exemplarLabel ?? null };
}

// Series that reappear after a collector's clear() keep their id: found again by their label values,
// length-prefixed so no two label sets can join to the same key.
function keyOf(values: readonly string[]): string {
  let key = '';
  for (let i = 0; i < values.length; i++) key += (values[i] as string).length + ':' + values[i];
  return key;
}

/** Encodes a registry into pushes; keeps what it has sent so each push carries only new table entries. */
export class SnapshotEncoder {
  private readonly registry: Registry;
  private sentFamilies = 0;
  private readonly familyWidths: number[] = [];
  // Weak: a collector that clears and rebuilds its series each scrape must not leave old ones here.
  private readonly idsBySeries: WeakMap<Series, number>[] = [];
  private readonly idsByLabels: Map<string, number>[] = [];
  private readonly offsets: number[] = [];
  private width = 0;
  private pendingSeries: SeriesEntry[] = [];
  private pendingExemplars: ExemplarEntry[] = [];
  // Per series id with exemplars: the exemplar time per bucket last sent.
  private readonly sentExemplarTimes = new Map<number, Float64Array>();
  private previous = new Float64Array(0);
  private current = new Float64Array(0);

  /** Encodes `registry` (its families may grow; they are sent as they appear). */
  constructor(registry: Registry) {
    this.registry = registry;
  }

  /**
   * Reads every series now. Returns null when nothing changed since the previous push, unless `force`
   * (a push the primary asked for must be answered even when it has nothing new).
   */
  encode(force: boolean): SnapshotPush | null {
    const metrics = this.registry.metrics();
    const families: FamilyDescriptor[] = [];
    for (let f = this.sentFamilies; f < metrics.length; f++) {
      const descriptor = describeFamily(metrics[f] as AnyMetric);
      families.push(descriptor);
      this.familyWidths.push(widthOf(descriptor));
      this.idsBySeries.push(new WeakMap());
      this.idsByLabels.push(new Map());
    }
    this.sentFamilies = metrics.length;
    for (let f = 0; f < metrics.length; f++) this.assignIds(f, metrics[f] as AnyMetric);
    if (this.current.length !== this.width) this.current = new Float64Array(this.width);
    const values = this.current;
    values.fill(NaN);
    for (let f = 0; f < metrics.length; f++) this.readFamily(f, metrics[f] as AnyMetric, values);
    const series = this.pendingSeries;
    const exemplars = this.pendingExemplars;
    const changed = families.length > 0 || series.length > 0 || exemplars.length > 0 || !sameValues(values, this.previous);
    if (!changed && !force) return null;
    this.pendingSeries = [];
    this.pendingExemplars = [];
    this.current = this.previous;
    this.previous = values;
    // Copied out: the two working arrays are reused by the next push (process.send serializes a copy
    // anyway, and an in-process caller must not see the next push overwrite this one).
    return { families, series, values: values.slice(), exemplars };
  }

  private assignIds(f: number, metric: AnyMetric): void {
    const ids = this.idsBySeries[f] as WeakMap<Series, number>;
    const all = metric.series();
    for (let i = 0; i < all.length; i++) {
      const series = all[i] as Series;
      if (ids.has(series)) continue;
      const labels = this.idsByLabels[f] as Map<string, number>;
      const key = keyOf(series.labelValues);
      let id = labels.get(key);
      if (id === undefined) {
        id = this.offsets.length;
        labels.set(key, id);
        this.offsets.push(this.width);
        this.width += this.familyWidths[f] as number;
        this.pendingSeries.push([f, series.labelValues]);
      }
      ids.set(series, id);
    }
  }

  private readFamily(f: number, metric: AnyMetric, values: Float64Array): void {
    const ids = this.idsBySeries[f] as WeakMap<Series, number>;
    const all = metric.series();
    const histogram = metric.type === 'histogram';
    for (let i = 0; i < all.length; i++) {
      const series = all[i] as Series;
      const id = ids.get(series) as number;
      const at = this.offsets[id] as number;
      if (!histogram) {
        values[at] = (series as unknown as { value: number }).value;
        continue;
      }
      const h = series as unknown as HistogramSeries;
      const counts = h.bucketCounts;
      values.set(counts, at);
      values[at + counts.length] = h.sum;
      values[at + counts.length + 1] = h.count;
      if (h.exemplarTimes !== null) this.readExemplars(id, h);
    }
  }

  private readExemplars(id: number, h: HistogramSeries): void {
    const times = h.exemplarTimes as Float64Array;
    let sent = this.sentExemplarTimes.get(id);
    if (sent === undefined) this.sentExemplarTimes.set(id, (sent = new Float64Array(times.length)));
    for (let b = 0; b < times.length; b++) {
      const time = times[b] as number;
      if (time === sent[b]) continue;
      sent[b] = time;
      this.pendingExemplars.push([id, b, (h.exemplarLabels as string[])[b] as string, (h.exemplarValues as Float64Array)[b] as number, time]);
    }
  }
}

// NaN marks an absent series, so two NaNs in the same slot are equal here.
function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y && (x === x || y === y)) return false;
  }
  return true;
}
