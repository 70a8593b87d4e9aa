// Prints the stream benchmark's tables: what was configured, and one row per N and target with
// every measured number, in the same Markdown style as bench:gateway.

import { formatMs, printTable } from '../report/report-table.js';
import type { StreamSummary } from './stream-summary.js';
import type { StepSummaries } from './stream-targets.js';

/** Prints the gateway's setup notes, e.g. which optional config keys this build has. */
export function printNotes(notes: readonly string[], n: number): void {
  console.log(`Gateway config: defaults, one backend; max_concurrent_requests set to 2 x N (${2 * n} at N=${n}) where the key exists:`);
  for (const note of notes) console.log(`- ${note}`);
}

function failuresOf(summary: StreamSummary): string {
  if (summary.failed === 0) return '0';
  return `${summary.failed} (${Object.entries(summary.failures)
    .map(([reason, count]) => `${reason}: ${count}`)
    .join(', ')})`;
}

/** Prints one row per N and target. */
export function printStepTable(steps: readonly StepSummaries[], labels: Record<'direct' | 'floor' | 'gateway', string>): void {
  const rows: string[][] = [];
  for (const step of steps) {
    for (const target of ['direct', 'floor', 'gateway'] as const) {
      const s = step[target];
      rows.push([
        String(step.n),
        labels[target],
        formatMs(s.ttftP50Ms),
        formatMs(s.ttftP99Ms),
        formatMs(s.gapP99Ms),
        `${s.cpuPerChunkUs.toFixed(1)} us`,
        `${(s.peakRssBytes / 2 ** 20).toFixed(0)} MB`,
        String(s.peakConcurrent),
        `${s.completed} of ${s.streams}`,
        failuresOf(s),
        `${(s.clientCpuShare * 100).toFixed(0)}%`,
      ]);
    }
  }
  printTable(
    'Paced streams: straight from the backend, through the bare pipe relay, through the gateway',
    ['N', 'target', 'TTFT p50', 'TTFT p99', 'gap p99', 'server CPU per chunk', 'peak RSS', 'most streams at once', 'complete', 'failed', 'client CPU'],
    rows,
    [true, false, true, true, true, true, true, true, true, true, true],
  );
  console.log('\n"direct": the server is the backend itself, so its CPU per chunk is the cost of generating a chunk.');
}
