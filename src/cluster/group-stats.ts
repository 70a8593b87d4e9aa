// /v1/stats for the whole group: the same document one process computes, read from the primary's
// merged registry instead of one Instrumentation (so /metrics and /v1/stats of the group agree).

import type { Backend } from '../fleet/backend.js';
import type { FallbackCount, KeyTotals, StatsPair, StatsSource } from '../gateway/stats.js';
import { sanitizeLabelValue, type AnyMetric, type HistogramSeries, type Registry } from '../metrics/index.js';

type Scalar = { readonly value: number };

// Length-prefixed, so no two label pairs join to the same key.
function pairKey(modelLabel: string, backendLabel: string): string {
  return modelLabel.length + ':' + modelLabel + backendLabel;
}

const EMPTY_HISTOGRAM = { sum: 0, count: 0, bucketCounts: new Float64Array(0) };

/** Reads the merged registry as a stats source; `names` gives the raw names of each label pair. */
export class GroupStatsSource implements StatsSource {
  private readonly registry: Registry;
  private readonly keyNames: readonly string[];
  private readonly names = new Map<string, readonly [string, string]>();
  private readonly fallbackNames = new Map<string, readonly [string, string]>();

  /** Reads `registry`; `keyNames` are the configured API keys (stats list each by name). */
  constructor(registry: Registry, keyNames: readonly string[]) {
    this.registry = registry;
    this.keyNames = keyNames;
  }

  /** Remembers the raw model and backend names of a label pair (the first spelling seen wins, as in one process). */
  addPairNames(modelLabel: string, backendLabel: string, model: string, backend: string): void {
    const key = pairKey(modelLabel, backendLabel);
    if (!this.names.has(key)) this.names.set(key, [model, backend]);
  }

  /** Remembers the raw names of a fallback pair (the first spelling seen wins). */
  addFallbackNames(fromLabel: string, toLabel: string, from: string, to: string): void {
    const key = pairKey(fromLabel, toLabel);
    if (!this.fallbackNames.has(key)) this.fallbackNames.set(key, [from, to]);
  }

  /**
   * Every (model, backend) pair of the group with its merged series. Pairs the series cap folded into
   * the overflow series are reported as that series (the merged registry cannot tell them apart).
   */
  pairSeries(): StatsPair[] {
    const duration = this.family('nexus_request_duration_seconds');
    if (duration === undefined) return [];
    const ttft = this.family('nexus_time_to_first_token_seconds');
    const counts = new Map<string, { requests: number; successes: number }>();
    for (const series of this.family('nexus_requests_total')?.series() ?? []) {
      const [modelLabel, backendLabel, status] = series.labelValues as [string, string, string];
      const key = pairKey(modelLabel, backendLabel);
      let entry = counts.get(key);
      if (entry === undefined) counts.set(key, (entry = { requests: 0, successes: 0 }));
      const value = (series as unknown as Scalar).value;
      entry.requests += value;
      if (status.startsWith('2')) entry.successes += value;
    }
    const pairs: StatsPair[] = [];
    for (const series of duration.series()) {
      const [modelLabel, backendLabel] = series.labelValues as [string, string];
      const key = pairKey(modelLabel, backendLabel);
      const [model, backend] = this.names.get(key) ?? [modelLabel, backendLabel];
      const count = counts.get(key) ?? { requests: 0, successes: 0 };
      pairs.push({
        model,
        backend,
        modelLabel,
        backendLabel,
        requests: count.requests,
        successes: count.successes,
        statsDuration: series as HistogramSeries,
        statsTimeToFirstToken: (ttft?.find(modelLabel, backendLabel) as HistogramSeries | undefined) ?? EMPTY_HISTOGRAM,
      });
    }
    return pairs;
  }

  /** Requests served by each fallback pair, group-wide, by raw names (labels for a pair folded into overflow). */
  fallbackPairs(): FallbackCount[] {
    const out: FallbackCount[] = [];
    for (const series of this.family('nexus_fallbacks_total')?.series() ?? []) {
      const [fromLabel, toLabel] = series.labelValues as [string, string];
      const [from, to] = this.fallbackNames.get(pairKey(fromLabel, toLabel)) ?? [fromLabel, toLabel];
      out.push({ from, to, count: (series as unknown as Scalar).value });
    }
    return out;
  }

  /** Per configured key, its group-wide totals. */
  keyTotals(): KeyTotals[] {
    const requests = this.family('nexus_client_requests_total');
    const tokens = this.family('nexus_client_tokens_total');
    return this.keyNames.map((name) => {
      const label = sanitizeLabelValue(name);
      let total = 0;
      let errors = 0;
      for (const series of requests?.series() ?? []) {
        if (series.labelValues[0] !== label) continue;
        const value = (series as unknown as Scalar).value;
        const status = Number(series.labelValues[1]);
        total += value;
        if (status < 200 || status >= 300) errors += value;
      }
      const tokenValue = (type: string): number => (tokens?.find(label, type) as unknown as Scalar | undefined)?.value ?? 0;
      return { name, requests: total, errors, prompt_tokens: tokenValue('prompt'), completion_tokens: tokenValue('completion') };
    });
  }

  /** A backend's group-wide upstream attempts by outcome. */
  attemptsOf(backend: Backend): Record<string, number> {
    const label = sanitizeLabelValue(backend.name);
    const counts: Record<string, number> = {};
    for (const series of this.family('nexus_upstream_attempts_total')?.series() ?? []) {
      if (series.labelValues[0] === label) counts[series.labelValues[1] as string] = (series as unknown as Scalar).value;
    }
    return counts;
  }

  private family(name: string): AnyMetric | undefined {
    return this.registry.get(name);
  }
}
