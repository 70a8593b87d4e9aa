// How each family merges across the processes of the group: counters and histograms always sum;
// gauges by what they mean (fleet gauges from the primary's one health checker, runtime gauges as
// prom-client's AggregatorRegistry merges them).

import { RUNTIME_AGGREGATION, type RuntimeAggregator } from '../metrics/index.js';
import type { FamilyDescriptor } from './snapshot-codec.js';

/** A runtime aggregator, or `primary`: only the primary's own value counts (it runs the health checks). */
export type GroupAggregator = RuntimeAggregator | 'primary';

// The gateway's gauges. The fleet is seen by the one health checker in the primary; pending and
// queued requests live in the workers; a backend is shown ejected while any worker ejects it.
const GATEWAY_GAUGES: Readonly<Record<string, GroupAggregator>> = Object.freeze({
  nexus_backends_total: 'primary',
  nexus_backends_healthy: 'primary',
  nexus_models_available: 'primary',
  nexus_backend_up: 'primary',
  nexus_pending_requests: 'sum',
  nexus_upstream_queued: 'sum',
  nexus_backend_ejected: 'max',
  // Every process runs the same build: one series of value 1, not N.
  nexus_build_info: 'first',
});

/** The aggregator of a family: `sum` for counters and histograms, else by name (default `sum`, as prom-client). */
export function aggregatorOf(family: FamilyDescriptor): GroupAggregator {
  if (family.type !== 'gauge') return 'sum';
  if (Object.hasOwn(GATEWAY_GAUGES, family.name)) return GATEWAY_GAUGES[family.name] as GroupAggregator;
  if (Object.hasOwn(RUNTIME_AGGREGATION, family.name)) return RUNTIME_AGGREGATION[family.name] as RuntimeAggregator;
  return 'sum';
}
