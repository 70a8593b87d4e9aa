import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StreamSummary } from '../../bench/streams/stream-summary.js';
import { checkQueueGauge, checkStreamTargets } from '../../bench/streams/stream-targets.js';

function summary(overrides: Partial<StreamSummary>): StreamSummary {
  return {
    streams: 1000,
    completed: 1000,
    failed: 0,
    failures: {},
    ttftP50Ms: 5,
    ttftP99Ms: 190,
    ttftMaxMs: 200,
    gapP99Ms: 42,
    peakConcurrent: 1000,
    cpuPerChunkUs: 24,
    peakRssBytes: 100 * 2 ** 20,
    clientCpuShare: 0.3,
    ...overrides,
  };
}

const floor = summary({});

test('a gateway as good as the floor meets every stream target', () => {
  const rows = checkStreamTargets({ n: 1000, direct: floor, floor, gateway: summary({ ttftP99Ms: 209, gapP99Ms: 43.9, cpuPerChunkUs: 28.8 }) });
  assert.equal(rows.length, 6);
  assert.ok(rows.every((r) => r.ok), JSON.stringify(rows));
});

test('the hidden queue of issue 13 misses TTFT, concurrency and nothing else', () => {
  const gateway = summary({ ttftP99Ms: 6100, peakConcurrent: 256, cpuPerChunkUs: 21.4, peakRssBytes: 129 * 2 ** 20 });
  const missed = checkStreamTargets({ n: 1000, direct: floor, floor, gateway }).filter((r) => !r.ok);
  assert.deepEqual(
    missed.map((r) => r.check),
    ['TTFT p99, gateway minus floor, 1000 streams', 'no hidden queue: most streams relayed at once, gateway vs floor, 1000 streams'],
  );
  assert.equal(missed[0]!.measured, '+5910.000 ms');
});

test('each limit is a boundary: CPU x1.21, RSS 200 MB, one failed stream and gap +2.1 ms each miss', () => {
  const gateway = summary({ cpuPerChunkUs: 24 * 1.21, peakRssBytes: 200 * 2 ** 20, failed: 1, completed: 999, gapP99Ms: 44.1 });
  const rows = checkStreamTargets({ n: 1000, direct: floor, floor, gateway });
  assert.deepEqual(
    rows.filter((r) => !r.ok).map((r) => r.check.split(',')[0]),
    ['inter-chunk gap p99', 'CPU per relayed chunk', 'peak RSS of the gateway', 'streams complete through the gateway'],
  );
});

test('the queue gauge check follows its presence', () => {
  assert.equal(checkQueueGauge(true).ok, true);
  assert.equal(checkQueueGauge(false).ok, false);
});
