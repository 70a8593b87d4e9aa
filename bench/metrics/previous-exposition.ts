// The render path as it was before pooled, cached rendering (issue 13): a fresh ExpositionWriter per
// scrape and every sample line copied from its own pre-encoded prefix. Kept as the baseline that
// `render.bench.ts` measures the current path against, in the same run.

import { formatNumber, HistogramSeries, type AnyMetric, type Registry, type Series } from '../../src/metrics/index.js';
import { renderFamilyHeader, renderLabelPairs, renderSeriesName } from '../../src/metrics/exposition.js';

const NEWLINE = 10;
const ZERO = 48;
const SMALL_INT_LIMIT = 2 ** 31;
const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const MAX_NUMBER_BYTES = 24;

/** The previous append-only writer, verbatim: a new buffer per exposition, grown by doubling. */
export class PreviousExpositionWriter {
  private buffer: Buffer;
  private position = 0;

  /** Starts with room for `capacityHint` bytes. */
  constructor(capacityHint = 4096) {
    this.buffer = Buffer.allocUnsafe(Math.max(256, capacityHint));
  }

  /** Appends pre-encoded bytes. */
  bytes(data: Uint8Array): void {
    if (this.position + data.length > this.buffer.length) this.grow(data.length);
    this.buffer.set(data, this.position);
    this.position += data.length;
  }

  /** Appends a sample value, then a line feed. */
  valueLine(n: number): void {
    if (this.position + MAX_NUMBER_BYTES + 1 > this.buffer.length) this.grow(MAX_NUMBER_BYTES + 1);
    const buffer = this.buffer;
    let pos = this.position;
    if (n >= 0 && n < SMALL_INT_LIMIT && (n | 0) === n) {
      let digits = 1;
      while (digits < 10 && n >= POWERS_OF_TEN[digits]!) digits++;
      for (let at = pos + digits - 1; at >= pos; at--) {
        const next = (n / 10) | 0;
        buffer[at] = ZERO + (n - next * 10);
        n = next;
      }
      pos += digits;
    } else {
      const text = formatNumber(n);
      for (let i = 0; i < text.length; i++) buffer[pos++] = text.charCodeAt(i);
    }
    buffer[pos++] = NEWLINE;
    this.position = pos;
  }

  /** Bytes written so far. */
  finish(): Buffer {
    return this.buffer.subarray(0, this.position);
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.position + needed));
    this.buffer.copy(next, 0, 0, this.position);
    this.buffer = next;
  }
}

type PreviousSeries =
  | { kind: 'scalar'; series: Series & { value: number }; prefix: Buffer }
  | { kind: 'histogram'; series: HistogramSeries; buckets: Buffer[]; sum: Buffer; count: Buffer };

/**
 * Renders a registry's current values the previous way. The prefixes are built once from the series
 * that exist when it is constructed (as the series themselves used to hold them); values are read live.
 */
export class PreviousRenderer {
  private readonly families: { header: Buffer; metric: AnyMetric; series: PreviousSeries[] }[] = [];
  private lastSize = 0;

  /** Pre-renders every family header and series prefix of `registry`. */
  constructor(private readonly registry: Registry) {
    for (const metric of registry.metrics()) {
      const series = metric.series().map((s) => toPrevious(metric, s));
      this.families.push({ header: Buffer.from(renderFamilyHeader(metric.name, metric.help, metric.type)), metric, series });
    }
  }

  /** Runs collect callbacks and renders text format 0.0.4 into a fresh buffer, as `renderBytes()` did. */
  renderBytes(): Buffer {
    const families = this.families;
    for (let i = 0; i < families.length; i++) families[i]!.metric.collect();
    const out = new PreviousExpositionWriter(this.lastSize + (this.lastSize >> 3));
    for (let f = 0; f < families.length; f++) {
      const family = families[f]!;
      out.bytes(family.header);
      for (let i = 0; i < family.series.length; i++) writePrevious(out, family.series[i]!);
    }
    const bytes = out.finish();
    this.lastSize = bytes.length;
    return bytes;
  }
}

function toPrevious(metric: AnyMetric, series: Series): PreviousSeries {
  const pairs = renderLabelPairs(metric.labelNames, series.labelValues);
  if (!(series instanceof HistogramSeries)) {
    return { kind: 'scalar', series: series as Series & { value: number }, prefix: Buffer.from(renderSeriesName(metric.name, pairs) + ' ') };
  }
  const sep = pairs === '' ? '' : pairs + ',';
  const bounds = (metric as unknown as { buckets: readonly number[] }).buckets;
  const buckets: Buffer[] = [];
  for (let i = 0; i <= bounds.length; i++) {
    const le = i < bounds.length ? formatNumber(bounds[i]!) : '+Inf';
    buckets.push(Buffer.from(metric.name + '_bucket{' + sep + 'le="' + le + '"} '));
  }
  return {
    kind: 'histogram',
    series,
    buckets,
    sum: Buffer.from(renderSeriesName(metric.name + '_sum', pairs) + ' '),
    count: Buffer.from(renderSeriesName(metric.name + '_count', pairs) + ' '),
  };
}

function writePrevious(out: PreviousExpositionWriter, entry: PreviousSeries): void {
  if (entry.kind === 'scalar') {
    out.bytes(entry.prefix);
    out.valueLine(entry.series.value);
    return;
  }
  const counts = entry.series.bucketCounts;
  let acc = 0;
  for (let i = 0; i < counts.length; i++) {
    acc += counts[i]!;
    out.bytes(entry.buckets[i]!);
    out.valueLine(acc);
  }
  out.bytes(entry.sum);
  out.valueLine(entry.series.sum);
  out.bytes(entry.count);
  out.valueLine(entry.series.count);
}
