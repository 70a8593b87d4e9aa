import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, SampleBuffer, sortedUnion } from '../../bench/report/sample-stats.js';

test('percentile is nearest-rank: p50 of 1..10 is 5, p99 is 10, and empty input gives 0', () => {
  const values = Float64Array.from({ length: 10 }, (_, i) => i + 1);
  assert.equal(percentile(values, 0.5), 5);
  assert.equal(percentile(values, 0.99), 10);
  assert.equal(percentile(values, 0), 1);
  assert.equal(percentile(new Float64Array(0), 0.5), 0);
});

test('a sample buffer grows past its capacity and keeps every sample', () => {
  const buffer = new SampleBuffer(2);
  for (const value of [5, 3, 9, 1, 7]) buffer.push(value);
  assert.equal(buffer.length, 5);
  assert.deepEqual([...buffer.sorted()], [1, 3, 5, 7, 9]);
});

test('sortedUnion merges buffers into one sorted array', () => {
  const a = new SampleBuffer();
  const b = new SampleBuffer();
  [4, 2].forEach((v) => a.push(v));
  [3, 1, 5].forEach((v) => b.push(v));
  assert.deepEqual([...sortedUnion([a, b])], [1, 2, 3, 4, 5]);
});
