// Side by side with prom-client (dev dependency, comparisons only), same data, same run: 500 labelled
// counter series plus 500 histogram series of 11 buckets rendered to bytes ready for the socket
// (prom-client: `await registry.metrics()` then `Buffer.from`), and labelled inc / observe through a
// `labels(...)` lookup on both sides. Targets (issue 13): render at least 30x faster, recording 10x.

import { Counter as PromCounter, Histogram as PromHistogram, Registry as PromRegistry, type OpenMetricsContentType } from 'prom-client';
import { Registry, type ExpositionFormat } from '../../src/metrics/index.js';
import type { BatchResult, BatchTask } from '../harness.js';
import { DURATION_BUCKETS } from '../../src/gateway/metric-families.js';

const BATCH = 1000;
const MODELS = 50;
const BACKENDS = 10;

/** One comparison row: our task against prom-client's, with the speed-up it must reach. */
export interface Comparison {
  name: string;
  ours: string;
  theirs: string;
  minSpeedup: number;
}

/** The pairs of tasks compared, by task name. */
export const COMPARISONS: Comparison[] = [];

function both(name: string, minSpeedup: number, ours: BatchTask, theirs: BatchTask, tasks: BatchTask[]): void {
  tasks.push(ours, theirs);
  COMPARISONS.push({ name, ours: ours.name, theirs: theirs.name, minSpeedup });
}

/** Builds both registries with the same 1,000 series and the tasks that compare them. */
export function promClientTasks(): BatchTask[] {
  const ours = new Registry();
  const requests = ours.counter({ name: 'app_requests_total', help: 'Requests.', labelNames: ['model', 'backend', 'status'] });
  const duration = ours.histogram({ name: 'app_request_duration_seconds', help: 'Duration.', labelNames: ['model', 'backend'], buckets: DURATION_BUCKETS });
  const openMetrics = new PromRegistry<OpenMetricsContentType>();
  openMetrics.setContentType(PromRegistry.OPENMETRICS_CONTENT_TYPE);
  const registries = { prometheus: new PromRegistry(), openmetrics: openMetrics };
  const theirRequests = new PromCounter({ name: 'app_requests_total', help: 'Requests.', labelNames: ['model', 'backend', 'status'], registers: [registries.prometheus, registries.openmetrics] });
  const theirDuration = new PromHistogram({ name: 'app_request_duration_seconds', help: 'Duration.', labelNames: ['model', 'backend'], buckets: DURATION_BUCKETS, registers: [registries.prometheus, registries.openmetrics] });
  const models: string[] = [];
  const backends: string[] = [];
  const values = new Float64Array(BATCH);
  for (let i = 0; i < BATCH; i++) {
    models.push(`model_${(i * 7) % MODELS}`);
    backends.push(`backend_${(i * 3) % BACKENDS}`);
    values[i] = (i % 97) * 0.37;
  }
  for (let m = 0; m < MODELS; m++) {
    for (let b = 0; b < BACKENDS; b++) {
      for (let k = 0; k < 20; k++) {
        const v = ((m + b + k) % 23) * 0.7;
        requests.labels(`model_${m}`, `backend_${b}`, '200').inc();
        theirRequests.labels(`model_${m}`, `backend_${b}`, '200').inc();
        duration.labels(`model_${m}`, `backend_${b}`).observe(v);
        theirDuration.labels(`model_${m}`, `backend_${b}`).observe(v);
      }
    }
  }
  const histograms = duration.series();
  const counters = requests.series();
  let round = 0;
  let sink = 0;
  const tasks: BatchTask[] = [];
  for (const format of ['prometheus', 'openmetrics'] as ExpositionFormat[]) {
    const theirs: BatchTask = {
      name: `prom-client: await metrics() + Buffer.from, ${format}`,
      batch: 1,
      run: async () => { sink += Buffer.from(await registries[format].metrics(), 'utf8').length; },
    };
    // Ours is timed with every series changed since the previous scrape (its worst case; the recording
    // is inside the timing), prom-client's cost does not depend on it.
    const changed: BatchTask = {
      name: `ours: renderPooled('${format}'), every series changed`,
      batch: 1,
      run: () => {
        const v = (round++ % 50) * 0.37;
        for (let i = 0; i < histograms.length; i++) {
          histograms[i]!.observe(v);
          counters[i]!.inc();
        }
        const pooled = ours.renderPooled(format);
        sink += pooled.bytes.length;
        pooled.release();
      },
    };
    both(`render 1,000 series to bytes (${format}, every series changed)`, 30, changed, theirs, tasks);
    const unchanged: BatchTask = {
      name: `ours: renderPooled('${format}'), no series changed`,
      batch: 1,
      run: () => {
        const pooled = ours.renderPooled(format);
        sink += pooled.bytes.length;
        pooled.release();
      },
    };
    tasks.push(unchanged);
    COMPARISONS.push({ name: `render 1,000 series to bytes (${format}, no series changed)`, ours: unchanged.name, theirs: theirs.name, minSpeedup: 30 });
  }
  const status = '200';
  both(
    'labels(3 values).inc()',
    10,
    { name: 'ours: labels(3 values).inc()', batch: BATCH, run: () => { for (let i = 0; i < BATCH; i++) requests.labels(models[i]!, backends[i]!, status).inc(); } },
    { name: 'prom-client: labels(3 values).inc()', batch: BATCH, run: () => { for (let i = 0; i < BATCH; i++) theirRequests.labels(models[i]!, backends[i]!, status).inc(); } },
    tasks,
  );
  both(
    'labels(2 values).observe()',
    10,
    { name: 'ours: labels(2 values).observe()', batch: BATCH, run: () => { for (let i = 0; i < BATCH; i++) duration.labels(models[i]!, backends[i]!).observe(values[i]!); } },
    { name: 'prom-client: labels(2 values).observe()', batch: BATCH, run: () => { for (let i = 0; i < BATCH; i++) theirDuration.labels(models[i]!, backends[i]!).observe(values[i]!); } },
    tasks,
  );
  if (sink < 0) console.log(sink);
  return tasks;
}

/** Prints each comparison with its speed-up, target and verdict; returns the comparisons missed. */
export function printComparisons(title: string, results: readonly BatchResult[]): string[] {
  const byName = new Map(results.map((r) => [r.name, r]));
  const missed: string[] = [];
  console.log(`\n### ${title}\n`);
  console.log('| operation | ours | prom-client | speed-up | target | result |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const c of COMPARISONS) {
    const ours = byName.get(c.ours);
    const theirs = byName.get(c.theirs);
    if (ours === undefined || theirs === undefined) continue;
    const speedup = theirs.nsPerOp / ours.nsPerOp;
    const ok = speedup >= c.minSpeedup;
    if (!ok) missed.push(c.name);
    console.log(`| ${c.name} | ${formatTime(ours.nsPerOp)} | ${formatTime(theirs.nsPerOp)} | x${speedup.toFixed(1)} | >= x${c.minSpeedup} | ${ok ? 'meets' : 'MISSES'} |`);
  }
  return missed;
}

function formatTime(ns: number): string {
  if (ns >= 1e6) return (ns / 1e6).toFixed(3) + ' ms';
  if (ns >= 1e3) return (ns / 1e3).toFixed(2) + ' us';
  return ns.toFixed(1) + ' ns';
}
