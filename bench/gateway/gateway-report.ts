// Prints the gateway benchmark's tables and checks its targets: proxying latency and throughput per
// load and target, /metrics under load, and the JSON targets against the minimal JSON proxy.

import { formatMs, formatRatio, printTable, type TargetRow } from '../report/report-table.js';
import type { LatencySummary } from './latency-summary.js';
import type { ScrapeResult } from './scrape-load.js';

/** The servers a load runs against. */
export type TargetName = 'direct' | 'metrics on' | 'metrics off' | 'minimal proxy';

/** Every target's summary for one load (targets a load did not run are absent). */
export type LoadResults = Map<string, Partial<Record<TargetName, LatencySummary>>>;

const LABELS: Record<TargetName, string> = {
  direct: 'direct to backend',
  'metrics on': 'gateway, metrics on',
  'metrics off': 'gateway, metrics off',
  'minimal proxy': 'minimal JSON proxy',
};

/** Prints one row per load and target. */
export function printLoads(results: LoadResults): void {
  const rows: string[][] = [];
  for (const [name, byTarget] of results) {
    const direct = byTarget.direct;
    for (const [target, s] of Object.entries(byTarget) as [TargetName, LatencySummary][]) {
      const added = target === 'direct' || direct === undefined ? '-' : formatMs(s.p50Ms - direct.p50Ms);
      rows.push([name, LABELS[target], s.requestsPerSecond.toFixed(0), formatMs(s.p50Ms), formatMs(s.p99Ms), added, String(s.failed)]);
    }
  }
  printTable('Proxying: straight to the backend, through the minimal JSON proxy, through the gateway', ['load', 'target', 'requests/s', 'p50', 'p99', 'added p50 vs direct', 'failed'], rows, [
    false,
    false,
    true,
    true,
    true,
    true,
    true,
  ]);
}

/** Prints the /metrics-under-load table. */
export function printScrapes(scrape: ScrapeResult, series: { series: number; samples: number }, render: { msPerRender: number; bytes: number }): void {
  const row = (name: string, s: LatencySummary): string[] => [name, formatMs(s.p50Ms), formatMs(s.p99Ms), formatMs(s.maxMs)];
  printTable(
    `/metrics under load (${scrape.ratePerSecond} req/s steady, half of capacity, JSON and streaming mixed; 10 scrapes/s)`,
    ['measurement', 'p50', 'p99', 'max'],
    [
      [`in-process render of the live registry (${series.series} series, ${series.samples} samples, ${(render.bytes / 1024).toFixed(0)} KiB)`, formatMs(render.msPerRender), '-', '-'],
      row(`scrape, plain text, as the scraper sees it (${scrape.plain.requests} scrapes)`, scrape.plain),
      row(`scrape, gzip, as the scraper sees it (${scrape.gzip.requests} scrapes)`, scrape.gzip),
      row(`proxied requests without scrapes (max backlog ${scrape.maxBacklog})`, scrape.withoutScrapes),
      row('proxied requests during scrapes', scrape.withScrapes),
    ],
    [false, true, true, true],
  );
}

function signedMs(value: number): string {
  return `${value >= 0 ? '+' : ''}${formatMs(value)}`;
}

/** The targets: metrics on vs off, the JSON targets against the minimal proxy (issue 13), and /metrics under load. */
export function checkGatewayTargets(loads: LoadResults, scrape: ScrapeResult): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const [name, t] of loads) {
    const { direct, 'metrics on': on, 'metrics off': off, 'minimal proxy': proxy } = t;
    if (direct === undefined || on === undefined) continue;
    if (off !== undefined && name.includes('1 connection')) {
      const delta = on.p50Ms - off.p50Ms;
      rows.push({ check: `metrics on vs off p50, ${name}`, measured: signedMs(delta), target: '<= +0.050 ms', ok: delta <= 0.05 });
    } else if (off !== undefined) {
      const ratio = on.requestsPerSecond / off.requestsPerSecond;
      rows.push({ check: `metrics on vs off throughput, ${name}`, measured: `${(ratio * 100).toFixed(1)}%`, target: '>= 97%', ok: ratio >= 0.97 });
    }
    if (proxy !== undefined && name === 'JSON, 1 connection') {
      const ratio = (on.p50Ms - direct.p50Ms) / (proxy.p50Ms - direct.p50Ms);
      rows.push({ check: `gateway added p50 / minimal proxy added p50, ${name}`, measured: formatRatio(ratio), target: '<= x1.30', ok: ratio <= 1.3 });
    }
    if (proxy !== undefined && name === 'JSON, 32 connections') {
      const ratio = on.requestsPerSecond / proxy.requestsPerSecond;
      rows.push({ check: `gateway throughput / minimal proxy throughput, ${name}`, measured: formatRatio(ratio), target: '>= x1.00', ok: ratio >= 1 });
    }
    const failed = Object.values(t).reduce((sum, s) => sum + s.failed, 0);
    if (failed > 0) rows.push({ check: `failed responses, ${name}`, measured: String(failed), target: '0', ok: false });
  }
  rows.push({ check: '/metrics scrape p99 under load (plain)', measured: formatMs(scrape.plain.p99Ms), target: '< 2.000 ms', ok: scrape.plain.p99Ms < 2 });
  rows.push({ check: '/metrics scrape p99 under load (gzip)', measured: formatMs(scrape.gzip.p99Ms), target: '< 2.000 ms', ok: scrape.gzip.p99Ms < 2 });
  // Issue 13: proxied requests' p99 during scrapes within 10% of their p99 without.
  const stall = scrape.withScrapes.p99Ms / scrape.withoutScrapes.p99Ms;
  rows.push({ check: 'proxy p99 during scrapes / without scrapes', measured: formatRatio(stall), target: '<= x1.10', ok: stall <= 1.1 });
  return rows;
}
