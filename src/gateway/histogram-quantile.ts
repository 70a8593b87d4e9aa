// Quantiles estimated from fixed buckets the way Prometheus's histogram_quantile() does: linear
// interpolation inside the bucket holding the rank, the first bucket starting at 0, and a rank in
// the +Inf bucket answered with the highest finite bound.

/**
 * The q-quantile (0..1) of a histogram with upper `bounds` and per-bucket (not cumulative) `counts`
 * of length bounds + 1 (the last is +Inf); NaN when it holds no observation.
 */
export function estimateQuantile(bounds: ArrayLike<number>, counts: ArrayLike<number>, q: number): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  if (total <= 0) return NaN;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < bounds.length; i++) {
    const inBucket = counts[i] as number;
    if (below + inBucket >= rank && inBucket > 0) {
      const lower = i === 0 ? 0 : (bounds[i - 1] as number);
      const upper = bounds[i] as number;
      return lower + ((upper - lower) * (rank - below)) / inBucket;
    }
    below += inBucket;
  }
  return bounds.length === 0 ? NaN : (bounds[bounds.length - 1] as number);
}
