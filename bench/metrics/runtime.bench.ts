// Scrape cost of the runtime metrics (/proc reads, heap statistics, active handles and rendering)
// against prom-client's collectDefaultMetrics() scrape of the same families, the reference.

import { collectDefaultMetrics, Registry as PromRegistry } from 'prom-client';
import { Registry, registerRuntimeMetrics } from '../../src/metrics/index.js';
import type { BatchTask } from '../harness.js';

/** Builds the runtime scrape tasks; call the returned `stop` once they have run. */
export function runtimeTasks(): { tasks: BatchTask[]; stop: () => void } {
  const registry = new Registry();
  const runtime = registerRuntimeMetrics(registry);
  const promRegistry = new PromRegistry();
  collectDefaultMetrics({ register: promRegistry });
  let sink = 0;
  const tasks: BatchTask[] = [
    { name: 'runtime metrics scrape, renderBytes()', batch: 1, targetNs: 250_000, run: () => { sink += registry.renderBytes().length; } },
    // Async: tinybench awaits it. prom-client's collect step is as synchronous as ours; the rest is its encoder.
    { name: 'reference: prom-client collectDefaultMetrics scrape', batch: 1, run: async () => { sink += (await promRegistry.metrics()).length; } },
  ];
  return { tasks, stop: () => { runtime.stop(); if (sink < 0) console.log(sink); } };
}
