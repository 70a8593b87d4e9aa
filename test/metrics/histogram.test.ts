import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Histogram, Registry } from '../../src/metrics/index.js';

test('histogram counts a value equal to a bound in that bucket', () => {
  const h = new Histogram({ name: 'h', help: 'h', buckets: [1, 2, 5] });
  h.observe(1);
  h.observe(2);
  h.observe(2.0001);
  h.observe(100);
  const series = h.labels();
  assert.deepEqual(Array.from(series.bucketCounts), [1, 1, 1, 1]);
  assert.deepEqual(series.cumulativeCounts(), [1, 2, 3, 4]);
  assert.equal(series.count, 4);
  assert.ok(Math.abs(series.sum - 105.0001) < 1e-9);
});

test('histogram drops NaN but records infinities in the +Inf bucket', () => {
  const h = new Histogram({ name: 'h', help: 'h', buckets: [1] });
  h.observe(NaN);
  h.observe(Infinity);
  h.observe(-Infinity);
  const series = h.labels();
  assert.equal(series.count, 2);
  assert.deepEqual(Array.from(series.bucketCounts), [1, 1]);
});

test('histogram renders cumulative buckets, +Inf equal to _count, then _sum and _count', () => {
  const registry = new Registry();
  const h = registry.histogram({ name: 'req_seconds', help: 'Request time', labelNames: ['model'], buckets: [0.1, 0.5] });
  h.labels('m').observe(0.05);
  h.labels('m').observe(0.3);
  h.labels('m').observe(3);
  assert.equal(
    registry.render(),
    [
      '# HELP req_seconds Request time',
      '# TYPE req_seconds histogram',
      'req_seconds_bucket{model="m",le="0.1"} 1',
      'req_seconds_bucket{model="m",le="0.5"} 2',
      'req_seconds_bucket{model="m",le="+Inf"} 3',
      'req_seconds_sum{model="m"} 3.35',
      'req_seconds_count{model="m"} 3',
      '',
    ].join('\n'),
  );
});

test('histogram uses default buckets when none are given', () => {
  const h = new Histogram({ name: 'h', help: 'h' });
  assert.deepEqual(h.buckets, [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
});

test('histogram rejects unsorted, duplicate, empty and non-finite buckets at creation', () => {
  for (const buckets of [[2, 1], [1, 1], [], [1, Infinity], [NaN], [1, '2' as unknown as number]]) {
    assert.throws(() => new Histogram({ name: 'h', help: 'h', buckets }), { name: 'MetricDefinitionError' }, `buckets ${String(buckets)}`);
  }
});

test('histogram reserves the le label', () => {
  assert.throws(() => new Histogram({ name: 'h', help: 'h', labelNames: ['le'] }), /reserved/);
});
