import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StreamLoadResult } from '../../bench/streams/stream-client.js';
import { peakOverlap, summarizeStreams } from '../../bench/streams/stream-summary.js';
import { SampleBuffer } from '../../bench/report/sample-stats.js';

const f = (values: number[]): Float64Array => Float64Array.from(values);

test('peakOverlap counts the most intervals open at once', () => {
  assert.equal(peakOverlap(f([0, 1, 2, 10]), f([5, 6, 3, 11])), 3);
});

test('an interval ending when another starts does not overlap it (half-open)', () => {
  assert.equal(peakOverlap(f([0, 2, 4]), f([2, 4, 6])), 1);
});

test('streams that never started are skipped and those that never ended stay open', () => {
  assert.equal(peakOverlap(f([Number.NaN, 0, 5]), f([1, Number.NaN, 6])), 2);
  assert.equal(peakOverlap(f([]), f([])), 0);
});

test('a socket cap shows as waves: 4 streams through 2 slots never exceed 2 at once', () => {
  assert.equal(peakOverlap(f([0, 0.5, 2, 2.5]), f([2, 2.5, 4, 4.5])), 2);
});

function run(ttft: number[], gaps: number[], completed: number, failures: Record<string, number> = {}): StreamLoadResult {
  const t = new SampleBuffer();
  ttft.forEach((v) => t.push(v));
  const g = new SampleBuffer();
  gaps.forEach((v) => g.push(v));
  const streams = ttft.length;
  return {
    streams,
    completed,
    failures,
    ttftMs: t,
    gapsMs: g,
    firstChunkAt: f(ttft.map((_, i) => i)),
    endedAt: f(ttft.map((_, i) => i + 10)),
    elapsedMs: 1000,
    clientCpuUs: 250_000,
  };
}

test('summarizeStreams merges rounds: percentiles over all samples, CPU per chunk of completed streams', () => {
  const summary = summarizeStreams([run([1, 2, 3], [40, 41], 3), run([4, 100], [40, 80], 1, { 'status 503': 1 })], { cpuUs: 40_000, peakRssBytes: 123 }, 10);
  assert.equal(summary.streams, 5);
  assert.equal(summary.completed, 4);
  assert.equal(summary.failed, 1);
  assert.deepEqual(summary.failures, { 'status 503': 1 });
  assert.equal(summary.ttftP50Ms, 3);
  assert.equal(summary.ttftP99Ms, 100);
  assert.equal(summary.ttftMaxMs, 100);
  assert.equal(summary.gapP99Ms, 80);
  assert.equal(summary.cpuPerChunkUs, 1000); // 40 ms over 4 complete streams x 10 chunks
  assert.equal(summary.peakRssBytes, 123);
  assert.equal(summary.peakConcurrent, 3);
  assert.equal(summary.clientCpuShare, 0.25);
});

test('no completed stream gives zero CPU per chunk, not a division by zero', () => {
  assert.equal(summarizeStreams([run([], [], 0)], { cpuUs: 10, peakRssBytes: 0 }, 50).cpuPerChunkUs, 0);
});
