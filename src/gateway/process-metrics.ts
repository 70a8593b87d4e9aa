// Runtime metrics under prom-client's names (so existing Node dashboards work unchanged) plus the
// gateway's own build information.

import { registerRuntimeMetrics, type Registry } from '../metrics/index.js';

/** Registers runtime and build metrics; returns a function that stops the runtime monitors. */
export function registerProcessMetrics(registry: Registry, version: string): () => void {
  const runtime = registerRuntimeMetrics(registry);
  registry.gauge({ name: 'nexus_build_info', help: 'Build information; the value is always 1.', labelNames: ['version'] }).labels(version).set(1);
  return () => runtime.stop();
}
