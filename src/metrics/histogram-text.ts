// The cached text of one histogram series in one format. A scrape re-renders a series only if its
// count moved since the last one, and then overwrites in place each value that kept its length; a line
// whose length changes (a new digit, a new exemplar) is written again and spliced in, later lines only
// move (bench/metrics/render.bench.ts measures unchanged, partly and fully changed registries).

import { escapeLabelValue } from './exposition.js';
import { ExpositionWriter } from './exposition-writer.js';

const NEWLINE = 10;
const SPACE = 32;
const ZERO = 48;
const SMALL_INT_LIMIT = 2 ** 31;
const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];
// Layout of `meta`: four numbers per line.
const STRIDE = 4;
const SHOWN = 0;
const VALUE_AT = 1;
const WIDTH = 2;
const LINE_START = 3;
const EXEMPLAR_CLOSE = Buffer.from('"} ');

/** What a histogram series records, as the cached text reads it. */
export interface HistogramState {
  readonly sum: number;
  readonly count: number;
  readonly bucketCounts: Float64Array;
  /** Latest exemplar label value per bucket, `''` for none; null when the family keeps no exemplars. */
  readonly exemplarLabels: string[] | null;
  readonly exemplarValues: Float64Array | null;
  readonly exemplarTimes: Float64Array | null;
}

/** The pre-encoded pieces of one series' lines in one format. */
export interface HistogramLines {
  /** One `name_bucket{...,le="x"} ` prefix per bucket, +Inf last. */
  buckets: readonly Buffer[];
  /** `name_sum{...} ` and `name_count{...} `, or null when the format must omit them. */
  sum: Buffer | null;
  count: Buffer | null;
  /** ` # {label="` opening an exemplar, or null when this format shows none. */
  exemplarOpen: Buffer | null;
}

/** Cached, incrementally updated text of one histogram series. */
export class HistogramText {
  private readonly prefixes: Buffer[];
  private readonly bucketLines: number;
  private readonly exemplarOpen: Buffer | null;
  private readonly out: ExpositionWriter;
  // Per line (buckets, then sum and count), side by side so a scrape reads one short run of memory
  // (four arrays of their own cost a cache miss each per series): the value shown, where it starts,
  // its length, where the line starts.
  private readonly meta: Float64Array;
  private readonly shownLabels: string[];
  private readonly shownExemplarValues: Float64Array;
  private readonly shownTimes: Float64Array;
  // The series' count when last rendered: it moves on every observation, so it is a free dirty flag.
  private shownCount = -1;

  /** Prepares an empty cache for a series with these line prefixes. */
  constructor(lines: HistogramLines) {
    this.prefixes = lines.sum !== null && lines.count !== null ? [...lines.buckets, lines.sum, lines.count] : [...lines.buckets];
    this.bucketLines = lines.buckets.length;
    this.exemplarOpen = lines.exemplarOpen;
    const n = this.prefixes.length;
    let size = 64;
    for (let i = 0; i < n; i++) size += (this.prefixes[i] as Buffer).length + 24;
    this.out = new ExpositionWriter(size);
    this.meta = new Float64Array(n * STRIDE);
    const exemplars = lines.exemplarOpen === null ? 0 : this.bucketLines;
    this.shownLabels = new Array<string>(exemplars).fill('');
    this.shownExemplarValues = new Float64Array(exemplars);
    this.shownTimes = new Float64Array(exemplars);
  }

  /** Forgets the cached text, so the next render writes every line again. */
  invalidate(): void {
    this.shownCount = -1;
  }

  /** Brings the cached text up to date with `state` and returns it. */
  render(state: HistogramState): ExpositionWriter {
    if (state.count === this.shownCount) return this.out;
    const out = this.out;
    if (this.shownCount < 0) {
      this.writeAll(state);
      return out;
    }
    const counts = state.bucketCounts;
    const buckets = this.bucketLines;
    const meta = this.meta;
    const exemplars = this.exemplarOpen !== null;
    let buffer = out.backing;
    let acc = 0;
    for (let i = 0; i < buckets; i++) {
      acc += counts[i] as number;
      const m = i * STRIDE;
      const previous = meta[m + SHOWN] as number;
      if (exemplars && !this.isExemplarShown(state, i)) {
        this.replaceLine(state, i, acc);
        buffer = out.backing;
        continue;
      }
      if (acc === previous) continue;
      const width = meta[m + WIDTH] as number;
      // The common case, inlined: a count that grew by a few without gaining a digit, so only its
      // trailing digits that differ are written (one, mostly).
      if (acc > previous && acc < SMALL_INT_LIMIT && (acc | 0) === acc && (previous | 0) === previous && acc < (POWERS_OF_TEN[width] as number)) {
        let at = (meta[m + VALUE_AT] as number) + width - 1;
        let n = acc;
        let p = previous;
        while (n !== p) {
          const next = (n / 10) | 0;
          buffer[at--] = ZERO + (n - next * 10);
          n = next;
          p = (p / 10) | 0;
        }
        meta[m + SHOWN] = acc;
        continue;
      }
      this.replaceLine(state, i, acc);
      buffer = out.backing;
    }
    for (let i = buckets; i < this.prefixes.length; i++) {
      const value = i === buckets ? state.sum : state.count;
      const m = i * STRIDE;
      const previous = meta[m + SHOWN] as number;
      if (value === previous) continue;
      if (out.patchNumber(meta[m + VALUE_AT] as number, meta[m + WIDTH] as number, previous, value)) meta[m + SHOWN] = value;
      else this.replaceLine(state, i, value);
    }
    this.shownCount = state.count;
    return out;
  }

  private writeAll(state: HistogramState): void {
    this.out.truncate(0);
    const counts = state.bucketCounts;
    let acc = 0;
    for (let i = 0; i < this.bucketLines; i++) this.writeLine(state, i, (acc += counts[i] as number));
    if (this.prefixes.length > this.bucketLines) {
      this.writeLine(state, this.bucketLines, state.sum);
      this.writeLine(state, this.bucketLines + 1, state.count);
    }
    this.shownCount = state.count;
  }

  // A line whose length changes is written at the end and moved into place; later lines shift.
  private replaceLine(state: HistogramState, i: number, value: number): void {
    const out = this.out;
    const meta = this.meta;
    const lines = this.prefixes.length;
    const start = meta[i * STRIDE + LINE_START] as number;
    const end = i + 1 < lines ? (meta[(i + 1) * STRIDE + LINE_START] as number) : out.length;
    const from = out.length;
    this.writeLine(state, i, value);
    const delta = out.length - from - (end - start);
    out.spliceFrom(start, end, from);
    meta[i * STRIDE + LINE_START] = start;
    meta[i * STRIDE + VALUE_AT] = (meta[i * STRIDE + VALUE_AT] as number) - from + start;
    if (delta === 0) return;
    for (let j = i + 1; j < lines; j++) {
      meta[j * STRIDE + LINE_START] = (meta[j * STRIDE + LINE_START] as number) + delta;
      meta[j * STRIDE + VALUE_AT] = (meta[j * STRIDE + VALUE_AT] as number) + delta;
    }
  }

  private writeLine(state: HistogramState, i: number, value: number): void {
    const out = this.out;
    const m = i * STRIDE;
    this.meta[m + LINE_START] = out.length;
    out.bytes(this.prefixes[i] as Buffer);
    const at = out.length;
    out.number(value);
    this.meta[m + VALUE_AT] = at;
    this.meta[m + WIDTH] = out.length - at;
    this.meta[m + SHOWN] = value;
    if (this.exemplarOpen !== null && i < this.bucketLines) this.writeExemplar(state, i);
    out.byte(NEWLINE);
  }

  private isExemplarShown(state: HistogramState, i: number): boolean {
    return (
      (state.exemplarLabels as string[])[i] === this.shownLabels[i] &&
      (state.exemplarValues as Float64Array)[i] === this.shownExemplarValues[i] &&
      (state.exemplarTimes as Float64Array)[i] === this.shownTimes[i]
    );
  }

  private writeExemplar(state: HistogramState, i: number): void {
    const label = (state.exemplarLabels as string[])[i] as string;
    const value = (state.exemplarValues as Float64Array)[i] as number;
    const time = (state.exemplarTimes as Float64Array)[i] as number;
    this.shownLabels[i] = label;
    this.shownExemplarValues[i] = value;
    this.shownTimes[i] = time;
    if (label === '') return;
    // `name_bucket{le="0.5"} 3 # {request_id="abc"} 0.42 1700000000.123` (OpenMetrics exemplar).
    const out = this.out;
    out.bytes(this.exemplarOpen as Buffer);
    out.text(escapeLabelValue(label));
    out.bytes(EXEMPLAR_CLOSE);
    out.number(value);
    out.byte(SPACE);
    out.number(time);
  }
}
