// Process metrics under the names Node dashboards already use, filled at scrape time.

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Registry } from '../metrics/index.js';

/** Registers process and build metrics; returns a function that stops the event-loop monitor. */
export function registerProcessMetrics(registry: Registry, version: string): () => void {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const startSeconds = Math.round((Date.now() - process.uptime() * 1000) / 1000);
  registry.counter({
    name: 'process_cpu_seconds_total',
    help: 'Total user and system CPU time spent in seconds.',
    collect: (c) => {
      const usage = process.cpuUsage();
      c.labels().value = (usage.user + usage.system) / 1e6;
    },
  });
  registry.gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.', collect: (g) => g.set(process.memoryUsage.rss()) });
  registry.gauge({ name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.', collect: (g) => g.set(startSeconds) });
  registry.gauge({ name: 'nodejs_heap_size_used_bytes', help: 'Process heap size used from Node.js in bytes.', collect: (g) => g.set(process.memoryUsage().heapUsed) });
  registry.gauge({
    name: 'nodejs_eventloop_lag_seconds',
    help: 'Mean event loop delay since the previous scrape, in seconds.',
    collect: (g) => {
      const mean = loop.mean;
      g.set(Number.isFinite(mean) ? mean / 1e9 : 0);
      loop.reset();
    },
  });
  registry.gauge({ name: 'nexus_build_info', help: 'Build information; the value is always 1.', labelNames: ['version'] }).labels(version).set(1);
  return () => loop.disable();
}
