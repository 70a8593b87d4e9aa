import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAttempts } from '../../src/demo/demo.js';
import { subtractSnapshots, quantileFromBuckets, readSnapshot } from '../../src/demo/metrics-snapshot.js';

const EXPOSITION = `# HELP nexus_requests_total Chat requests
# TYPE nexus_requests_total counter
nexus_requests_total{model="m",backend="a",status="200"} 7
nexus_requests_total{model="m",backend="b",status="200"} 2
nexus_requests_total{model="_unknown",backend="none",status="404"} 1
nexus_errors_total{error_type="no_backend",model="_unknown"} 1
nexus_fallbacks_total{from_model="big",to_model="m"} 3
nexus_pending_requests{backend="a"} 2
nexus_backends_healthy 2
nexus_backends_total 3
nexus_request_duration_seconds_bucket{model="m",backend="a",le="0.1"} 4
nexus_request_duration_seconds_bucket{model="m",backend="a",le="0.5"} 6
nexus_request_duration_seconds_bucket{model="m",backend="a",le="+Inf"} 7
nexus_request_duration_seconds_bucket{model="m",backend="b",le="0.1"} 0
nexus_request_duration_seconds_bucket{model="m",backend="b",le="0.5"} 2
nexus_request_duration_seconds_bucket{model="m",backend="b",le="+Inf"} 3
process_cpu_seconds_total 12
`;

test('a snapshot sums the families the summary shows and skips the rest', () => {
  const s = readSnapshot(EXPOSITION);
  assert.equal(s.requests, 10);
  assert.equal(s.errors, 1);
  assert.equal(s.fallbacks, 3);
  assert.equal(s.pending, 2);
  assert.equal(s.backendsHealthy, 2);
  assert.equal(s.backendsTotal, 3);
  assert.deepEqual([...s.requestsByBackend], [['a', 7], ['b', 2], ['none', 1]]);
  assert.deepEqual([...s.errorsByType], [['no_backend', 1]]);
  assert.deepEqual([...s.durationBuckets], [[0.1, 4], [0.5, 8], [Infinity, 10]]);
});

test('quantiles interpolate inside the bucket like histogram_quantile', () => {
  const buckets = new Map([[0.1, 4], [0.5, 8], [Infinity, 10]]);
  // rank 0.5 * 10 = 5 falls in (0.1, 0.5] holding 4 observations: 0.1 + 0.4 * (5 - 4) / 4.
  assert.ok(Math.abs(quantileFromBuckets(buckets, 0.5) - 0.2) < 1e-12);
  assert.equal(quantileFromBuckets(buckets, 0.2), 0.05);
  // In the +Inf bucket: the highest finite bound.
  assert.equal(quantileFromBuckets(buckets, 0.95), 0.5);
  assert.ok(Number.isNaN(quantileFromBuckets(new Map([[0.1, 0], [Infinity, 0]]), 0.95)));
});

test('a difference keeps only what changed between two scrapes', () => {
  const before = readSnapshot(EXPOSITION);
  const after = readSnapshot(EXPOSITION.replace('backend="a",status="200"} 7', 'backend="a",status="200"} 12').replace('le="+Inf"} 7', 'le="+Inf"} 12'));
  const delta = subtractSnapshots(after, before);
  assert.equal(delta.requests, 5);
  assert.equal(delta.errors, 0);
  assert.deepEqual([...delta.requestsByBackend], [['a', 5]]);
  assert.equal(delta.durationBuckets.get(Infinity), 5);
  assert.equal(quantileFromBuckets(delta.durationBuckets, 0.95), 0.5);
});

test('attempts, failed attempts and ejection are read per backend, and the summary shows them', () => {
  const text = (flakyFailures: number) => `nexus_upstream_attempts_total{backend="fast",outcome="success"} 10
nexus_upstream_attempts_total{backend="flaky",outcome="success"} 4
nexus_upstream_attempts_total{backend="flaky",outcome="server_error"} ${flakyFailures}
nexus_upstream_attempts_total{backend="flaky",outcome="busy"} 2
nexus_backend_ejected{backend="fast"} 0
nexus_backend_ejected{backend="flaky"} 1
`;
  const before = readSnapshot(text(3));
  assert.deepEqual([...before.attemptsByBackend], [['fast', 10], ['flaky', 9]]);
  assert.deepEqual([...before.failuresByBackend], [['flaky', 3]], 'busy is not a failure');
  assert.deepEqual([...before.ejected], ['flaky']);
  const delta = subtractSnapshots(readSnapshot(text(5)), before);
  assert.equal(formatAttempts(delta), 'flaky 2 (2 failed, EJECTED)');
  assert.equal(formatAttempts(before), 'fast 10, flaky 9 (3 failed, EJECTED)');
});
