// GET /v1/stats (SPEC section 4), computed from the very series /metrics renders.

import type { Fleet } from '../fleet/fleet.js';
import type { Instrumentation, PairSeries } from './instrumentation.js';
import type { KeySeries } from './key-usage.js';
import { sanitizeLabelValue } from '../metrics/index.js';

/** The /v1/stats document. */
export interface StatsDocument {
  uptime_seconds: number;
  requests: { total: number; success: number; errors: number };
  backends: { id: string; requests: number; average_latency_ms: number; pending: number }[];
  models: { name: string; requests: number; average_duration_ms: number }[];
  /** Per API key, sorted by name; present only with access control on (SPEC 4). */
  keys?: ReturnType<KeySeries['totals']>[];
}

interface Tally {
  name: string;
  requests: number;
  durationSum: number;
  durationCount: number;
}

function requestsOf(pair: PairSeries): { total: number; success: number } {
  let total = 0;
  let success = 0;
  for (const [status, series] of pair.byStatus) {
    total += series.value;
    if (status >= 200 && status < 300) success += series.value;
  }
  return { total, success };
}

// Mean in ms with one decimal; 0 when nothing was observed (never NaN or Infinity).
function averageMs(sumSeconds: number, count: number): number {
  if (count === 0) return 0;
  const ms = (sumSeconds / count) * 1000;
  return Number.isFinite(ms) ? Math.round(ms * 10) / 10 : 0;
}

function tally(map: Map<string, Tally>, key: string, name: string, pair: PairSeries, requests: number): void {
  let entry = map.get(key);
  if (entry === undefined) map.set(key, (entry = { name, requests: 0, durationSum: 0, durationCount: 0 }));
  entry.requests += requests;
  entry.durationSum += pair.duration.sum;
  entry.durationCount += pair.duration.count;
}

/** Builds the stats document. */
export function computeStats(instrumentation: Instrumentation, fleet: Fleet, uptimeSeconds: number): StatsDocument {
  let total = 0;
  let success = 0;
  const byBackend = new Map<string, Tally>();
  const byModel = new Map<string, Tally>();
  for (const pair of instrumentation.pairSeries()) {
    const counts = requestsOf(pair);
    total += counts.total;
    success += counts.success;
    tally(byBackend, pair.backendLabel, pair.backend, pair, counts.total);
    tally(byModel, pair.modelLabel, pair.model, pair, counts.total);
  }
  const backends = fleet.all().map((backend) => {
    const entry = byBackend.get(sanitizeLabelValue(backend.name));
    return {
      id: backend.name,
      requests: entry?.requests ?? 0,
      average_latency_ms: entry === undefined ? 0 : averageMs(entry.durationSum, entry.durationCount),
      pending: backend.pending,
    };
  });
  const models = [...byModel.values()]
    .map((m) => ({ name: m.name, requests: m.requests, average_duration_ms: averageMs(m.durationSum, m.durationCount) }))
    .sort((a, b) => b.requests - a.requests || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const document: StatsDocument = { uptime_seconds: Math.floor(uptimeSeconds), requests: { total, success, errors: total - success }, backends, models };
  const keys = [...instrumentation.keySeries()].map((key) => key.totals());
  if (keys.length > 0) document.keys = keys.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return document;
}
