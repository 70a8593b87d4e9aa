// The primary's merged view of the group: the last push of every live process, plus the counters
// and histograms of processes that died (retired), summed into one mirror registry that renders.

import { Registry, type AnyMetric, type HistogramSeries, type Series } from '../metrics/index.js';
import { aggregatorOf, type GroupAggregator } from './group-aggregation.js';
import { widthOf, type FamilyDescriptor, type SnapshotPush } from './snapshot-codec.js';

/** Participant id of the primary itself (workers use their node:cluster ids, which start at 1). */
export const PRIMARY_ID = 0;

// One merged series: every process's series with the same family and label values adds into it.
class Target {
  readonly acc: Float64Array;
  retired: Float64Array | null = null;
  contributors = 0;

  constructor(
    readonly series: Series,
    readonly histogram: boolean,
    readonly aggregator: GroupAggregator,
    /** Counters and histograms outlive their process; gauges do not. */
    readonly retains: boolean,
  ) {
    this.acc = new Float64Array(histogram ? (series as HistogramSeries).bucketCounts.length + 2 : 1);
  }

  /** Keeps the newest exemplar of a bucket across the group (exemplars outlive their process, as the counts do). */
  offerExemplar(bucket: number, label: string, value: number, timeSeconds: number): void {
    const h = this.series as HistogramSeries;
    const times = h.exemplarTimes;
    if (times === null || bucket >= times.length || !(timeSeconds > (times[bucket] as number))) return;
    times[bucket] = timeSeconds;
    (h.exemplarLabels as string[])[bucket] = label;
    (h.exemplarValues as Float64Array)[bucket] = value;
  }
}

class Participant {
  readonly families: FamilyDescriptor[] = [];
  readonly mirrors: (AnyMetric | null)[] = [];
  readonly targets: (Target | null)[] = [];
  readonly offsets: number[] = [];
  width = 0;
  values: Float64Array = new Float64Array(0);
}

/** Merges pushes from every process into one registry (render it after `merge()`). */
export class GroupMerge {
  /** The mirror registry holding the merged values. */
  readonly registry: Registry;
  private readonly participants = new Map<number, Participant>();
  private readonly targets = new Map<Series, Target>();
  private readonly targetList: Target[] = [];

  /** Builds an empty merge; `maxSeriesPerMetric` caps the union of label sets, as in each worker. */
  constructor(maxSeriesPerMetric: number) {
    this.registry = new Registry({ maxSeriesPerMetric });
  }

  /** Takes a push from process `id` (its first push starts its tables). */
  apply(id: number, push: SnapshotPush): void {
    let p = this.participants.get(id);
    if (p === undefined) this.participants.set(id, (p = new Participant()));
    for (const family of push.families) {
      p.families.push(family);
      p.mirrors.push(this.mirrorOf(family));
    }
    for (const [familyIndex, labelValues] of push.series) {
      const family = p.families[familyIndex] as FamilyDescriptor;
      const mirror = p.mirrors[familyIndex] ?? null;
      p.offsets.push(p.width);
      p.width += widthOf(family);
      p.targets.push(mirror === null ? null : this.targetOf(mirror, family, labelValues));
    }
    // A push shorter than its table (a malformed message) is ignored rather than read out of bounds.
    if (push.values.length === p.width) p.values = push.values;
    for (const [s, bucket, label, value, time] of push.exemplars) p.targets[s]?.offerExemplar(bucket, label, value, time);
  }

  /** Process `id` is gone: its counters and histograms stay in the totals forever, its gauges leave. */
  retire(id: number): void {
    const p = this.participants.get(id);
    if (p === undefined) return;
    this.participants.delete(id);
    for (let s = 0; s < p.targets.length; s++) {
      const target = p.targets[s];
      const at = p.offsets[s] as number;
      if (target === undefined || target === null || !target.retains || at >= p.values.length) continue;
      const value = p.values[at] as number;
      if (value !== value) continue;
      const retired = (target.retired ??= new Float64Array(target.acc.length));
      for (let i = 0; i < retired.length; i++) retired[i] = (retired[i] as number) + (p.values[at + i] as number);
    }
  }

  /** Recomputes every merged series from the held pushes and the retired totals. */
  merge(): void {
    const targets = this.targetList;
    for (let t = 0; t < targets.length; t++) {
      const target = targets[t] as Target;
      if (target.retired === null) target.acc.fill(0);
      else target.acc.set(target.retired);
      target.contributors = 0;
    }
    for (const [id, p] of this.participants) this.addParticipant(id, p);
    for (let t = 0; t < targets.length; t++) writeTarget(targets[t] as Target);
  }

  private addParticipant(id: number, p: Participant): void {
    const values = p.values;
    const targets = p.targets;
    const n = Math.min(targets.length, p.offsets.length);
    for (let s = 0; s < n; s++) {
      const target = targets[s];
      if (target === null || target === undefined) continue;
      const at = p.offsets[s] as number;
      if (at >= values.length) break;
      const v = values[at] as number;
      if (v !== v) continue;
      const acc = target.acc;
      const first = target.contributors === 0 && target.retired === null;
      switch (target.aggregator) {
        case 'sum':
        case 'average':
          for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] as number) + (values[at + i] as number);
          break;
        case 'primary':
          if (id === PRIMARY_ID) acc[0] = v;
          break;
        case 'first':
          if (first) acc[0] = v;
          break;
        case 'min':
          acc[0] = first ? v : Math.min(acc[0] as number, v);
          break;
        case 'max':
          acc[0] = first ? v : Math.max(acc[0] as number, v);
          break;
        case 'omit':
          break;
      }
      target.contributors++;
    }
  }

  private mirrorOf(family: FamilyDescriptor): AnyMetric | null {
    if (aggregatorOf(family) === 'omit') return null;
    const existing = this.registry.get(family.name);
    if (existing !== undefined) return existing.type === family.type && existing.labelNames.length === family.labelNames.length ? existing : null;
    const options = { name: family.name, help: family.help, labelNames: family.labelNames };
    if (family.type === 'counter') return this.registry.counter(options);
    if (family.type === 'gauge') return this.registry.gauge(options);
    return this.registry.histogram({ ...options, buckets: family.buckets, ...(family.exemplarLabel === null ? {} : { exemplarLabel: family.exemplarLabel }) });
  }

  private targetOf(mirror: AnyMetric, family: FamilyDescriptor, labelValues: readonly string[]): Target {
    const series = mirror.labels(...labelValues);
    let target = this.targets.get(series);
    if (target === undefined) {
      target = new Target(series, mirror.type === 'histogram', aggregatorOf(family), mirror.type !== 'gauge');
      this.targets.set(series, target);
      this.targetList.push(target);
    }
    return target;
  }
}

// Writes a merged result into its mirror series; a gauge no process reports any more reads 0.
function writeTarget(target: Target): void {
  const acc = target.acc;
  if (!target.histogram) {
    let value = acc[0] as number;
    if (target.aggregator === 'average' && target.contributors > 0) value /= target.contributors;
    (target.series as unknown as { value: number }).value = value;
    return;
  }
  const h = target.series as HistogramSeries;
  const buckets = h.bucketCounts.length;
  const count = acc[buckets + 1] as number;
  // The cached text refreshes when `count` moves; anything else changing alone needs telling.
  const stale = count === h.count && (acc[buckets] as number) !== h.sum;
  h.bucketCounts.set(acc.subarray(0, buckets));
  h.sum = acc[buckets] as number;
  h.count = count;
  if (stale) h.invalidate();
}
