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

const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

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

/** Builds the issue-13 tasks: the previous path, then the pooled render per format and scenario. */
export function gatewayRenderTasks(): BatchTask[] {
  const tasks: BatchTask[] = [];
  for (const scenario of SCENARIOS) {
    const gateway = buildGatewayLikeRegistry();
    const previous = new PreviousRenderer(gateway.registry);
    if (!previous.renderBytes().equals(gateway.registry.renderBytes('prometheus'))) throw new Error('the previous path no longer renders what the current one does');
    let round = 0;
    let sink = 0;
    const change = (): void => {
      if (scenario.stride > 0) gateway.recordRequests(scenario.stride, round++);
    };
    tasks.push({ name: `previous renderBytes(), ${scenario.label}`, batch: 1, run: () => { change(); sink += previous.renderBytes().length; } });
    for (const format of ['prometheus', 'openmetrics'] as ExpositionFormat[]) {
      tasks.push({
        name: `renderPooled('${format}'), ${scenario.label}`,
        batch: 1,
        run: () => {
          change();
          const pooled = gateway.registry.renderPooled(format);
          sink += pooled.bytes.length;
          pooled.release();
        },
      });
    }
  }
  return tasks;
}

/** Gives each pooled row the target of 40% of the previous path's time in its scenario, measured in this run. */
export function applyRatioTargets(results: BatchResult[]): BatchResult[] {
  return results.map((row) => {
    if (row.name.startsWith('previous')) return row;
    const scenario = row.name.slice(row.name.indexOf(', ') + 2);
    const baseline = results.find((r) => r.name === `previous renderBytes(), ${scenario}`);
    if (baseline === undefined) return row;
    const targetNs = baseline.nsPerOp * RENDER_RATIO_TARGET;
    return { ...row, name: `${row.name} (x${(row.nsPerOp / baseline.nsPerOp).toFixed(2)} of previous)`, targetNs, ok: row.nsPerOp <= targetNs };
  });
}
