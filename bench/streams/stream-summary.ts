// Folds stream runs into what the stream benchmark reports per target: time to first chunk, gaps
// between chunks, completed and failed streams, the most streams served at once, CPU per chunk.

import { percentile, sortedUnion } from '../report/sample-stats.js';
import type { StreamLoadResult } from './stream-client.js';

/** One target's numbers at one N, over every round. */
export interface StreamSummary {
  streams: number;
  completed: number;
  failed: number;
  failures: Record<string, number>;
  ttftP50Ms: number;
  ttftP99Ms: number;
  ttftMaxMs: number;
  gapP99Ms: number;
  /** Most streams between their first chunk and their end at one time (a socket cap shows here). */
  peakConcurrent: number;
  /** Server CPU per relayed chunk, microseconds (chunks of completed streams). */
  cpuPerChunkUs: number;
  peakRssBytes: number;
  /** Client CPU over the runs' wall time (near 1.0: the client, not the server, was the limit). */
  clientCpuShare: number;
}

/**
 * The most intervals open at one time: interval i is [starts[i], ends[i]); a NaN start means it
 * never opened (skipped), a NaN end that it never closed.
 */
export function peakOverlap(starts: Float64Array, ends: Float64Array): number {
  const opened: number[] = [];
  const closed: number[] = [];
  for (let i = 0; i < starts.length; i++) {
    if (Number.isNaN(starts[i]!)) continue;
    opened.push(starts[i]!);
    closed.push(Number.isNaN(ends[i]!) ? Number.POSITIVE_INFINITY : ends[i]!);
  }
  opened.sort((x, y) => x - y);
  closed.sort((x, y) => x - y);
  let open = 0;
  let peak = 0;
  for (let i = 0, j = 0; i < opened.length; ) {
    // An interval that closes at the instant another opens is not open with it (half-open).
    if (opened[i]! < closed[j]!) {
      open++;
      i++;
      if (open > peak) peak = open;
    } else {
      open--;
      j++;
    }
  }
  return peak;
}

/** Server-side resource use of one target over its runs. */
export interface ServerCost {
  cpuUs: number;
  peakRssBytes: number;
}

/** Summarizes one target's runs at one N; `chunksPerStream` counts the writes each stream carries. */
export function summarizeStreams(runs: readonly StreamLoadResult[], cost: ServerCost, chunksPerStream: number): StreamSummary {
  let streams = 0;
  let completed = 0;
  let clientCpuUs = 0;
  let elapsedMs = 0;
  let peakConcurrent = 0;
  const failures: Record<string, number> = {};
  for (const run of runs) {
    streams += run.streams;
    completed += run.completed;
    clientCpuUs += run.clientCpuUs;
    elapsedMs += run.elapsedMs;
    peakConcurrent = Math.max(peakConcurrent, peakOverlap(run.firstChunkAt, run.endedAt));
    for (const [reason, count] of Object.entries(run.failures)) failures[reason] = (failures[reason] ?? 0) + count;
  }
  const ttft = sortedUnion(runs.map((r) => r.ttftMs));
  const gaps = sortedUnion(runs.map((r) => r.gapsMs));
  const chunks = completed * chunksPerStream;
  return {
    streams,
    completed,
    failed: streams - completed,
    failures,
    ttftP50Ms: percentile(ttft, 0.5),
    ttftP99Ms: percentile(ttft, 0.99),
    ttftMaxMs: ttft.length === 0 ? 0 : ttft[ttft.length - 1]!,
    gapP99Ms: percentile(gaps, 0.99),
    peakConcurrent,
    cpuPerChunkUs: chunks === 0 ? 0 : cost.cpuUs / chunks,
    peakRssBytes: cost.peakRssBytes,
    clientCpuShare: elapsedMs === 0 ? 0 : clientCpuUs / 1000 / elapsedMs,
  };
}
