// Samples the load benchmarks collect (latencies, gaps) and the percentiles they report: an
// append-only Float64Array that grows by doubling, so recording a sample allocates nothing.

/** Nearest-rank percentile of sorted values (q in 0..1); 0 for no values. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** A growable list of numbers. */
export class SampleBuffer {
  private values: Float64Array;
  private count = 0;

  /** Starts with room for `capacity` samples. */
  constructor(capacity = 1024) {
    this.values = new Float64Array(Math.max(1, capacity));
  }

  /** Appends one sample. */
  push(value: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = value;
  }

  /** Samples so far. */
  get length(): number {
    return this.count;
  }

  /** A sorted copy of the samples. */
  sorted(): Float64Array {
    return this.values.slice(0, this.count).sort();
  }
}

/** Merges sample buffers into one sorted array. */
export function sortedUnion(buffers: readonly SampleBuffer[]): Float64Array {
  let total = 0;
  for (const buffer of buffers) total += buffer.length;
  const all = new Float64Array(total);
  let offset = 0;
  for (const buffer of buffers) {
    all.set(buffer.sorted(), offset);
    offset += buffer.length;
  }
  return all.sort();
}
