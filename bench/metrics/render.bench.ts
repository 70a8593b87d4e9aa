// Render cost of a fleet-sized registry: 50 models x 10 backends, the requests counter plus the
// duration histogram (1,000 series). The naive encoder, which formats every line from label
// objects at render time as prom-client does, is the rejected alternative kept as evidence.

import { Registry } from '../../src/metrics/index.js';
import type { BatchTask } from '../harness.js';
import { renderNaively } from './naive-encoder.js';

const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** Builds the fleet-sized registry used by the render benchmarks. */
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

/** Builds the render benchmark tasks. */
export function renderTasks(): BatchTask[] {
  const registry = buildFleetRegistry();
  let sink = 0;
  return [
    // renderBytes() is what /metrics sends: bytes ready for the socket, nothing left to flatten or encode.
    { name: 'renderBytes() 1,000 series', batch: 1, targetNs: 500_000, run: () => { sink += registry.renderBytes().length; } },
    { name: 'rejected: naive encoder, 1,000 series', batch: 1, run: () => { sink += renderNaively(registry).length; } },
  ];
}
