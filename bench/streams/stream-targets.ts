// The stream targets of issue 13 (item 2) as checks on one step's summaries: the gateway against the
// bare pipe relay (the floor) measured in the same run.

import { formatMs, formatRatio, type TargetRow } from '../report/report-table.js';
import type { StreamSummary } from './stream-summary.js';

/** Peak RSS the gateway must stay under while relaying the streams. */
export const MAX_GATEWAY_RSS_BYTES = 200 * 1024 * 1024;

/** What one step measured, per target. */
export interface StepSummaries {
  n: number;
  direct: StreamSummary;
  floor: StreamSummary;
  gateway: StreamSummary;
}

function signedMs(value: number): string {
  return `${value >= 0 ? '+' : ''}${formatMs(value)}`;
}

/** Checks the stream targets of issue 13 that depend on N, at this step's N. */
export function checkStreamTargets(step: StepSummaries): TargetRow[] {
  const { n, floor, gateway } = step;
  const ttft = gateway.ttftP99Ms - floor.ttftP99Ms;
  const gap = gateway.gapP99Ms - floor.gapP99Ms;
  const cpu = floor.cpuPerChunkUs === 0 ? Number.POSITIVE_INFINITY : gateway.cpuPerChunkUs / floor.cpuPerChunkUs;
  const rssMb = gateway.peakRssBytes / 2 ** 20;
  return [
    { check: `TTFT p99, gateway minus floor, ${n} streams`, measured: signedMs(ttft), target: '<= +20.000 ms', ok: ttft <= 20 },
    { check: `inter-chunk gap p99, gateway minus floor, ${n} streams`, measured: signedMs(gap), target: '<= +2.000 ms', ok: gap <= 2 },
    { check: `CPU per relayed chunk, gateway / floor, ${n} streams`, measured: formatRatio(cpu), target: '<= x1.20', ok: cpu <= 1.2 },
    { check: `peak RSS of the gateway, ${n} streams`, measured: `${rssMb.toFixed(0)} MB`, target: '< 200 MB', ok: gateway.peakRssBytes < MAX_GATEWAY_RSS_BYTES },
    { check: `streams complete through the gateway, ${n} streams`, measured: `${gateway.completed} of ${gateway.streams}`, target: `${gateway.streams} of ${gateway.streams}`, ok: gateway.failed === 0 },
    {
      // With no socket cap every stream is relayed as soon as it arrives, as through the floor.
      check: `no hidden queue: most streams relayed at once, gateway vs floor, ${n} streams`,
      measured: `${gateway.peakConcurrent} vs ${floor.peakConcurrent}`,
      target: `>= 99% of the floor's`,
      ok: gateway.peakConcurrent >= 0.99 * floor.peakConcurrent,
    },
  ];
}

/** The target that does not depend on N: a request waiting for an upstream socket is visible. */
export function checkQueueGauge(exported: boolean): TargetRow {
  return { check: 'no hidden queue: `nexus_upstream_queued` exported', measured: exported ? 'yes' : 'no', target: 'yes', ok: exported };
}
