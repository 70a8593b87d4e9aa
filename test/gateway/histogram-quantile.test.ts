import assert from 'node:assert/strict';
import test from 'node:test';
import { estimateQuantile } from '../../src/gateway/histogram-quantile.js';

const BOUNDS = [0.1, 0.5, 1];

function assertClose(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} is not ${expected}`);
}

test('a quantile interpolates linearly inside its bucket, the first bucket starting at 0', () => {
  assertClose(estimateQuantile(BOUNDS, [10, 0, 0, 0], 0.5), 0.05);
  assertClose(estimateQuantile(BOUNDS, [0, 10, 0, 0], 0.5), 0.3);
  assertClose(estimateQuantile(BOUNDS, [5, 5, 0, 0], 0.75), 0.3);
});

test('a rank in the +Inf bucket answers the highest finite bound, as histogram_quantile does', () => {
  assert.equal(estimateQuantile(BOUNDS, [0, 0, 1, 9], 0.95), 1);
});

test('no observations give NaN; empty buckets before the rank are skipped', () => {
  assert.ok(Number.isNaN(estimateQuantile(BOUNDS, [0, 0, 0, 0], 0.5)));
  assertClose(estimateQuantile(BOUNDS, [0, 0, 4, 0], 0.5), 0.75);
});
