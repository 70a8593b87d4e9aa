// V8 heap figures as prom-client 15 reports them: totals from process.memoryUsage() and one series
// per heap space from v8.getHeapSpaceStatistics(), read at scrape time.

import { getHeapSpaceStatistics, type HeapSpaceInfo } from 'node:v8';
import type { Gauge } from '../gauge.js';
import type { Registry } from '../registry.js';

/** The label value prom-client gives a V8 heap space: its name up to `_space` (`new_space` -> `new`). */
export function toHeapSpaceLabel(spaceName: string): string {
  const end = spaceName.indexOf('_space');
  // prom-client uses substr(0, -1) here, which is '' for a name without `_space`.
  return end === -1 ? '' : spaceName.slice(0, end);
}

/** Registers heap total, heap used and external memory, in prom-client's order. */
export function registerHeapSizeMetrics(registry: Registry): void {
  registry.gauge({
    name: 'nodejs_heap_size_total_bytes',
    help: 'Process heap size from Node.js in bytes.',
    collect: (total) => {
      // One memoryUsage() sample for all three, so used never exceeds total.
      let memory: NodeJS.MemoryUsage;
      try {
        memory = process.memoryUsage();
      } catch {
        // It throws on some platforms when /proc is unreadable (prom-client issue #67).
        return;
      }
      total.set(memory.heapTotal);
      used.set(memory.heapUsed);
      external.set(memory.external);
    },
  });
  const used = registry.gauge({ name: 'nodejs_heap_size_used_bytes', help: 'Process heap size used from Node.js in bytes.' });
  const external = registry.gauge({ name: 'nodejs_external_memory_bytes', help: 'Node.js external memory size in bytes.' });
}

/** Registers size, used and available bytes per V8 heap space. */
export function registerHeapSpaceMetrics(registry: Registry): void {
  registry.gauge({
    name: 'nodejs_heap_space_size_total_bytes',
    help: 'Process heap space size total from Node.js in bytes.',
    labelNames: ['space'],
    collect: (total) => {
      const spaces = getHeapSpaceStatistics();
      for (let i = 0; i < spaces.length; i++) {
        const space = spaces[i] as HeapSpaceInfo;
        const label = toHeapSpaceLabel(space.space_name);
        total.labels(label).set(space.space_size);
        used.labels(label).set(space.space_used_size);
        available.labels(label).set(space.space_available_size);
      }
    },
  });
  const used = spaceGauge(registry, 'used');
  const available = spaceGauge(registry, 'available');
}

function spaceGauge(registry: Registry, kind: 'used' | 'available'): Gauge {
  return registry.gauge({ name: `nodejs_heap_space_size_${kind}_bytes`, help: `Process heap space size ${kind} from Node.js in bytes.`, labelNames: ['space'] });
}
