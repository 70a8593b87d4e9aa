// What keeps the event loop alive, as prom-client 15 reports it: async resources, libuv handles and
// libuv requests, each counted by type and in total at scrape time.

import type { Gauge } from '../gauge.js';
import type { Registry } from '../registry.js';

// Undocumented but long-standing (Node 0.x to 22) and what prom-client reads; absent in other runtimes.
interface ProcessWithActiveLists {
  _getActiveHandles?: () => unknown[];
  _getActiveRequests?: () => unknown[];
}

/** Registers the `nodejs_active_*` families that this runtime can report, in prom-client's order. */
export function registerActiveResourceMetrics(registry: Registry): void {
  const counts = new Map<string, number>();
  if (typeof process.getActiveResourcesInfo === 'function') {
    registry.gauge({
      name: 'nodejs_active_resources',
      help: 'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
      labelNames: ['type'],
      collect: (g) => {
        const resources = process.getActiveResourcesInfo();
        counts.clear();
        for (let i = 0; i < resources.length; i++) addOne(counts, resources[i] as string);
        setByType(g, counts);
      },
    });
    registry.gauge({
      name: 'nodejs_active_resources_total',
      help: 'Total number of active resources.',
      collect: (g) => g.set(process.getActiveResourcesInfo().length),
    });
  }
  const lists = process as unknown as ProcessWithActiveLists;
  registerByConstructor(registry, 'handles', lists._getActiveHandles, counts,
    'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
    'Total number of active handles.');
  registerByConstructor(registry, 'requests', lists._getActiveRequests, counts,
    'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
    'Total number of active requests.');
}

function registerByConstructor(
  registry: Registry,
  what: 'handles' | 'requests',
  list: (() => unknown[]) | undefined,
  counts: Map<string, number>,
  help: string,
  totalHelp: string,
): void {
  if (typeof list !== 'function') return;
  const read = list.bind(process);
  registry.gauge({
    name: `nodejs_active_${what}`,
    help,
    labelNames: ['type'],
    collect: (g) => {
      const items = read();
      counts.clear();
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as { constructor?: { name: string } } | null | undefined;
        // prom-client groups by constructor name and skips entries without one.
        if (item !== null && item !== undefined && item.constructor !== undefined) addOne(counts, item.constructor.name);
      }
      setByType(g, counts);
    },
  });
  registry.gauge({ name: `nodejs_active_${what}_total`, help: totalHelp, collect: (g) => g.set(read().length) });
}

function addOne(counts: Map<string, number>, type: string): void {
  counts.set(type, (counts.get(type) ?? 0) + 1);
}

function setByType(gauge: Gauge, counts: Map<string, number>): void {
  // A type no longer present disappears from the output, as in prom-client (which resets the gauge).
  gauge.clear();
  for (const [type, count] of counts) gauge.labels(type).set(count);
}
