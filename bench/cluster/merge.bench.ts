// The cluster's metrics exchange (issue 14): a worker encoding its 1,000-series registry into a push,
// the push crossing IPC (v8 serialization, what `serialization: 'advanced'` does), and the primary
// merging 2 or 4 workers of 1,000 series each, with and without rendering the merged registry (the
// primary's share of a scrape). Rejected alternative kept as evidence: prom-client's
// AggregatorRegistry, which parses every worker's JSON of every metric and aggregates it at each scrape.

import { deserialize, serialize } from 'node:v8';
import { AggregatorRegistry, Counter as PromCounter, Histogram as PromHistogram, Registry as PromRegistry } from 'prom-client';
import { GroupMerge } from '../../src/cluster/group-merge.js';
import { SnapshotEncoder, type SnapshotPush } from '../../src/cluster/snapshot-codec.js';
import { DURATION_BUCKETS } from '../../src/gateway/metric-families.js';
import { Registry, type CounterSeries, type HistogramSeries } from '../../src/metrics/index.js';
import type { BatchTask } from '../harness.js';

// The gateway's own bucket list, copied so prom-client may keep it as its mutable `number[]`.
const BUCKETS = [...DURATION_BUCKETS];
const MODELS = 50;
const BACKENDS = 10;

// One worker's registry: 500 counter series and 500 histogram series (50 models x 10 backends).
function buildWorker(seed: number): { registry: Registry; touch: () => void } {
  const registry = new Registry();
  const requests = registry.counter({ name: 'nexus_requests_total', help: 'Requests.', labelNames: ['model', 'backend', 'status'] });
  const duration = registry.histogram({ name: 'nexus_request_duration_seconds', help: 'Duration.', labelNames: ['model', 'backend'], buckets: BUCKETS });
  const counters: CounterSeries[] = [];
  const histograms: HistogramSeries[] = [];
  for (let m = 0; m < MODELS; m++) {
    for (let b = 0; b < BACKENDS; b++) {
      counters.push(requests.labels(`model_${m}`, `backend_${b}`, '200'));
      histograms.push(duration.labels(`model_${m}`, `backend_${b}`));
    }
  }
  let k = seed;
  const touch = (): void => {
    for (let i = 0; i < counters.length; i++) {
      counters[i]!.inc();
      histograms[i]!.observe(((k++ + i) % 23) * 0.7);
    }
  };
  touch();
  return { registry, touch };
}

function buildPromWorker(seed: number): PromRegistry {
  const registry = new PromRegistry();
  const requests = new PromCounter({ name: 'nexus_requests_total', help: 'Requests.', labelNames: ['model', 'backend', 'status'], registers: [registry] });
  const duration = new PromHistogram({ name: 'nexus_request_duration_seconds', help: 'Duration.', labelNames: ['model', 'backend'], buckets: BUCKETS, registers: [registry] });
  for (let m = 0; m < MODELS; m++) {
    for (let b = 0; b < BACKENDS; b++) {
      requests.labels(`model_${m}`, `backend_${b}`, '200').inc(seed + m);
      duration.labels(`model_${m}`, `backend_${b}`).observe(((seed + m + b) % 23) * 0.7);
    }
  }
  return registry;
}

function mergeOf(workers: number): GroupMerge {
  const merge = new GroupMerge(10_000);
  for (let w = 0; w < workers; w++) merge.apply(w + 1, new SnapshotEncoder(buildWorker(w).registry).encode(true) as SnapshotPush);
  merge.merge();
  merge.registry.renderBytes();
  return merge;
}

/** Builds the cluster exchange tasks (each runs once per call: batch 1). */
export async function clusterMergeTasks(): Promise<BatchTask[]> {
  const worker = buildWorker(7);
  const encoder = new SnapshotEncoder(worker.registry);
  encoder.encode(true);
  const push = (() => { worker.touch(); return encoder.encode(false) as SnapshotPush; })();
  const wire = serialize(push);
  const two = mergeOf(2);
  const four = mergeOf(4);
  const promJson = await Promise.all([0, 1, 2, 3].map(async (w) => JSON.stringify(await buildPromWorker(w).getMetricsAsJSON())));
  return [
    { name: 'worker: encode a push of 1,000 series (all changed)', batch: 1, run: () => { worker.touch(); encoder.encode(false); } },
    { name: `push over IPC: v8 serialize + deserialize (${wire.length} bytes)`, batch: 1, run: () => deserialize(serialize(push)) },
    { name: 'primary: merge 2 workers x 1,000 series', batch: 1, run: () => two.merge() },
    { name: 'primary: merge 4 workers x 1,000 series', batch: 1, run: () => four.merge() },
    { name: 'primary: merge + render 4 workers x 1,000 series (text 0.0.4)', batch: 1, run: () => { four.merge(); four.registry.renderBytes(); } },
    { name: 'rejected: prom-client AggregatorRegistry, parse 4 workers JSON + aggregate', batch: 1, run: () => AggregatorRegistry.aggregate(promJson.map((j) => JSON.parse(j))) },
  ];
}
