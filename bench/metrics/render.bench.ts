// Render cost of fleet-sized registries. (1) SPEC 5: 1,000 series (50 models x 10 backends, the
// requests counter and the duration histogram) under 0.5 ms, beside the naive encoder that formats
// every line from label objects at render time as prom-client does (rejected). (2) Issue 13: the
// bench:gateway registry (1,019 series, 11,082 samples) rendered to pooled bytes in both formats, at
// most 40% of the previous path (bench/metrics/previous-exposition.ts) in the same run, whether no
// series, a tenth of them or all of them changed since the previous scrape.

import { Registry, type ExpositionFormat } from '../../src/metrics/index.js';
import type { BatchResult, BatchTask } from '../harness.js';
import { buildGatewayLikeRegistry } from './gateway-registry.js';
import { renderNaively } from './naive-encoder.js';
import { PreviousRenderer } from './previous-exposition.js';
import { DURATION_BUCKETS } from '../../src/gateway/metric-families.js';


/** Largest share of the previous path's time the pooled render may take (issue 13). */
export const RENDER_RATIO_TARGET = 0.4;

/** Builds the fleet-sized registry used by the SPEC 5 render benchmark. */
export function buildFleetRegistry(models = 50, backends = 10): Registry {
  const registry = new Registry();
  const requests = registry.counter({ name: 'nexus_requests_total', help: 'Chat requests', labelNames: ['model', 'backend', 'status'] });
  const duration = registry.histogram({
    name: 'nexus_request_duration_seconds',
    help: 'Chat request duration',
    labelNames: ['model', 'backend'],
    buckets: DURATION_BUCKETS,
  });
  for (let m = 0; m < models; m++) {
    for (let b = 0; b < backends; b++) {
      requests.labels(`model_${m}`, `backend_${b}`, '200').inc(m * 31 + b);
      const h = duration.labels(`model_${m}`, `backend_${b}`);
      for (let k = 0; k < 20; k++) h.observe(((m + b + k) % 23) * 0.7);
    }
  }
  return registry;
}

/** Builds the SPEC 5 render benchmark tasks. */
export function renderTasks(): BatchTask[] {
  const registry = buildFleetRegistry();
  let sink = 0;
  return [
    // renderBytes() is bytes ready for the socket, in a buffer the caller owns.
    { name: 'renderBytes() 1,000 series', batch: 1, targetNs: 500_000, run: () => { sink += registry.renderBytes().length; } },
    { name: 'rejected: naive encoder, 1,000 series', batch: 1, run: () => { sink += renderNaively(registry).length; } },
  ];
}

const SCENARIOS = [
  { label: 'no series changed', stride: 0 },
  { label: '1 in 10 pairs changed', stride: 10 },
  { label: 'every pair changed', stride: 1 },
];

/** One comparison of the issue-13 bench: the previous path and the pooled render, same scenario. */
export interface RenderPair {
  previous: BatchTask;
  pooled: BatchTask;
}

/** Builds the issue-13 pairs: per scenario and format, the previous path against the pooled render. */
export function gatewayRenderPairs(): RenderPair[] {
  const pairs: RenderPair[] = [];
  let sink = 0;
  for (const scenario of SCENARIOS) {
    for (const format of ['prometheus', 'openmetrics'] as ExpositionFormat[]) {
      // Each contender has a registry of its own, so each sees exactly the scenario's changes between
      // two of its renders however the calls are interleaved.
      const contender = (): { gateway: ReturnType<typeof buildGatewayLikeRegistry>; change: () => void } => {
        const gateway = buildGatewayLikeRegistry();
        let round = 0;
        return { gateway, change: () => { if (scenario.stride > 0) gateway.recordRequests(scenario.stride, round++); } };
      };
      const baseline = contender();
      const previous = new PreviousRenderer(baseline.gateway.registry);
      if (!previous.renderBytes().equals(baseline.gateway.registry.renderBytes('prometheus'))) throw new Error('the previous path no longer renders what the current one does');
      const current = contender();
      pairs.push({
        previous: { name: `previous renderBytes() (0.0.4), ${scenario.label}`, batch: 1, run: () => { baseline.change(); sink += previous.renderBytes().length; } },
        pooled: {
          name: `renderPooled('${format}'), ${scenario.label}`,
          batch: 1,
          run: () => {
            current.change();
            const pooled = current.gateway.registry.renderPooled(format);
            sink += pooled.bytes.length;
            pooled.release();
          },
        },
      });
    }
  }
  if (sink < 0) console.log(sink);
  return pairs;
}

/**
 * Runs the tasks interleaved, one call of each per round in a rotating order, and returns each one's
 * median: on a shared machine whose load swings within seconds, tasks timed one after the other for
 * 500 ms each (tinybench) saw the baseline itself move from 0.66 to 1.09 ms between runs.
 */
export function runInterleaved(tasks: readonly BatchTask[], rounds = 600, warmup = 100): BatchResult[] {
  const samples: number[][] = tasks.map(() => []);
  for (let r = 0; r < warmup + rounds; r++) {
    for (let k = 0; k < tasks.length; k++) {
      const index = (r + k) % tasks.length;
      const task = tasks[index] as BatchTask;
      const started = process.hrtime.bigint();
      task.run();
      const elapsed = Number(process.hrtime.bigint() - started);
      if (r >= warmup) (samples[index] as number[]).push(elapsed / task.batch);
    }
  }
  return tasks.map((task, i) => {
    const sorted = (samples[i] as number[]).sort((a, b) => a - b);
    const nsPerOp = sorted[sorted.length >> 1] as number;
    return { name: task.name, nsPerOp, targetNs: task.targetNs, ok: task.targetNs === undefined || nsPerOp <= task.targetNs };
  });
}

/**
 * Measures each pair interleaved (only its two registries live, so neither works from a cache the
 * other evicted more than a scrape's neighbours would) and gives the pooled render its target: 40%
 * of the previous path's median in the same pair.
 */
export function measureRenderPairs(pairs: readonly RenderPair[]): BatchResult[] {
  const rows: BatchResult[] = [];
  for (const pair of pairs) {
    const [previous, pooled] = runInterleaved([pair.previous, pair.pooled]) as [BatchResult, BatchResult];
    const targetNs = previous.nsPerOp * RENDER_RATIO_TARGET;
    rows.push(previous, { ...pooled, name: `${pooled.name}: x${(pooled.nsPerOp / previous.nsPerOp).toFixed(2)} of previous`, targetNs, ok: pooled.nsPerOp <= targetNs });
  }
  return rows;
}
