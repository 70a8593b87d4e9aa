import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { Registry } from '../../src/metrics/index.js';
import { GroupMerge, PRIMARY_ID } from '../../src/cluster/group-merge.js';
import { SnapshotEncoder } from '../../src/cluster/snapshot-codec.js';

// The families a worker declares; every process of a group declares the same ones.
function declare(registry: Registry = new Registry()) {
  return {
    registry,
    requests: registry.counter({ name: 'req_total', help: 'Requests.', labelNames: ['model', 'status'] }),
    duration: registry.histogram({ name: 'dur_seconds', help: 'Duration.', labelNames: ['model'], buckets: [0.1, 1, 10], exemplarLabel: 'request_id' }),
    pending: registry.gauge({ name: 'nexus_pending_requests', help: 'Pending.', labelNames: ['backend'] }),
    healthy: registry.gauge({ name: 'nexus_backends_healthy', help: 'Healthy.' }),
    lag: registry.gauge({ name: 'nodejs_eventloop_lag_max_seconds', help: 'Lag.' }),
  };
}

type Op = { worker: number; model: string; status: number; seconds: number };

const opArbitrary = fc.record({
  worker: fc.integer({ min: 0, max: 2 }),
  model: fc.constantFrom('a', 'b', 'c"quoted', 'd\\slash'),
  status: fc.constantFrom(200, 404, 502),
  // Quarters add exactly in any order, so per-worker sums then a group sum equal one running sum.
  seconds: fc.integer({ min: 0, max: 80 }).map((k) => k / 4),
});

test('merging the pushes of several workers renders what one process recording everything renders', () => {
  fc.assert(
    fc.property(fc.array(opArbitrary, { maxLength: 60 }), fc.integer({ min: 1, max: 59 }), (ops, cut) => {
      const single = declare();
      const workers = [0, 1, 2].map(() => declare());
      const encoders = workers.map((w) => new SnapshotEncoder(w.registry));
      const merge = new GroupMerge(10_000);
      const apply = (op: Op): void => {
        for (const target of [single, workers[op.worker]!]) {
          target.requests.labels(op.model, String(op.status)).inc();
          target.duration.labels(op.model).observe(op.seconds);
        }
      };
      // Pushes mid-way and at the end: the second push carries only the new table entries.
      ops.slice(0, cut).forEach(apply);
      encoders.forEach((e, i) => { const push = e.encode(false); if (push) merge.apply(i + 1, push); });
      ops.slice(cut).forEach(apply);
      encoders.forEach((e, i) => { const push = e.encode(false); if (push) merge.apply(i + 1, push); });
      merge.merge();
      assert.equal(merge.registry.render(), single.registry.render());
    }),
    { numRuns: 200 },
  );
});

test('a retired worker keeps its counters and histograms in the totals; its gauges leave', () => {
  const merge = new GroupMerge(10_000);
  const a = declare();
  const b = declare();
  const encoders = [new SnapshotEncoder(a.registry), new SnapshotEncoder(b.registry)];
  a.requests.labels('m', '200').inc(5);
  b.requests.labels('m', '200').inc(3);
  a.duration.labels('m').observe(0.5);
  a.pending.labels('x').set(2);
  b.pending.labels('x').set(1);
  encoders.forEach((e, i) => merge.apply(i + 1, e.encode(true)!));
  merge.merge();
  assert.equal(merge.registry.get('req_total')!.find('m', '200')!.labelValues.length, 2);
  const value = (name: string, ...labels: string[]) => (merge.registry.get(name)!.find(...labels) as unknown as { value: number }).value;
  assert.equal(value('req_total', 'm', '200'), 8);
  assert.equal(value('nexus_pending_requests', 'x'), 3);
  merge.retire(1);
  // The replacement starts from zero: the group total must not go backwards.
  const c = declare();
  c.requests.labels('m', '200').inc(1);
  merge.apply(3, new SnapshotEncoder(c.registry).encode(true)!);
  merge.merge();
  assert.equal(value('req_total', 'm', '200'), 9);
  assert.equal(value('nexus_pending_requests', 'x'), 1);
  assert.match(merge.registry.render(), /dur_seconds_count\{model="m"\} 1\n/);
});

test('fleet gauges come from the primary alone and lag maxima take the largest', () => {
  const merge = new GroupMerge(10_000);
  const primary = declare();
  const worker = declare();
  primary.healthy.set(3);
  worker.healthy.set(1);
  primary.lag.set(0.01);
  worker.lag.set(0.2);
  merge.apply(PRIMARY_ID, new SnapshotEncoder(primary.registry).encode(true)!);
  merge.apply(1, new SnapshotEncoder(worker.registry).encode(true)!);
  merge.merge();
  const text = merge.registry.render();
  assert.match(text, /\nnexus_backends_healthy 3\n/);
  assert.match(text, /\nnodejs_eventloop_lag_max_seconds 0.2\n/);
});

test('an unchanged registry pushes nothing unless asked, and a push carries only new table entries', () => {
  const w = declare();
  const encoder = new SnapshotEncoder(w.registry);
  const first = encoder.encode(false)!;
  assert.equal(first.families.length, 5);
  assert.equal(encoder.encode(false), null);
  assert.equal(encoder.encode(true)!.families.length, 0);
  w.requests.labels('m', '200').inc();
  const next = encoder.encode(false)!;
  assert.deepEqual(next.series, [[0, ['m', '200']]]);
  assert.equal(next.values.length, first.values.length + 1);
});

test('the newest exemplar of each bucket wins across workers, and survives its worker', () => {
  const merge = new GroupMerge(10_000);
  const a = declare();
  const b = declare();
  a.duration.labels('m').observeWithExemplar(0.05, 'req-a', 1000);
  b.duration.labels('m').observeWithExemplar(0.06, 'req-b', 2000);
  b.duration.labels('m').observeWithExemplar(5, 'req-b2', 1500);
  merge.apply(1, new SnapshotEncoder(a.registry).encode(true)!);
  merge.apply(2, new SnapshotEncoder(b.registry).encode(true)!);
  merge.retire(2);
  merge.merge();
  const text = merge.registry.render('openmetrics');
  assert.match(text, /dur_seconds_bucket\{model="m",le="0\.1"\} 2 # \{request_id="req-b"\} 0\.06 2000/);
  assert.match(text, /dur_seconds_bucket\{model="m",le="10\.0"\} 3 # \{request_id="req-b2"\} 5 1500/);
});
