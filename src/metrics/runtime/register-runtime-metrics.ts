// Entry point of the runtime metrics: every family of prom-client 15's collectDefaultMetrics(), with
// its names, types, labels and help, registered on one of our registries in prom-client's order.

import type { Registry } from '../registry.js';
import { registerActiveResourceMetrics } from './active-resources.js';
import { DEFAULT_EVENT_LOOP_RESOLUTION_MS, registerEventLoopMetrics } from './event-loop-metrics.js';
import { DEFAULT_GC_DURATION_BUCKETS, registerGcMetrics } from './gc-metrics.js';
import { registerHeapSizeMetrics, registerHeapSpaceMetrics } from './heap-metrics.js';
import { registerCpuMetrics, registerFdMetrics, registerMemoryMetrics, registerStartTime } from './process-metrics.js';

/** Options of `registerRuntimeMetrics`, named after their prom-client counterparts. */
export interface RuntimeMetricsOptions {
  /** Sampling resolution of the event-loop delay monitor in milliseconds (default 10, as prom-client). */
  eventLoopMonitoringPrecision?: number;
  /** Bucket bounds of `nodejs_gc_duration_seconds` (default prom-client's 0.001, 0.01, 0.1, 1, 2, 5). */
  gcDurationBuckets?: readonly number[];
}

/** Handle on the registered runtime metrics. */
export interface RuntimeMetrics {
  /** Stops the GC observer, the event-loop delay monitor and any pending lag probe; idempotent. */
  stop(): void;
}

/**
 * Registers every runtime family prom-client's `collectDefaultMetrics()` exposes on this platform.
 * Values are read by collect callbacks at scrape time; only the GC observer and the event-loop delay
 * monitor (both in native code between scrapes) run in the meantime. Throws if a name is taken.
 */
export function registerRuntimeMetrics(registry: Registry, options: RuntimeMetricsOptions = {}): RuntimeMetrics {
  const stops: (() => void)[] = [];
  try {
    registerCpuMetrics(registry);
    registerStartTime(registry);
    registerMemoryMetrics(registry);
    registerFdMetrics(registry);
    stops.push(registerEventLoopMetrics(registry, options.eventLoopMonitoringPrecision ?? DEFAULT_EVENT_LOOP_RESOLUTION_MS));
    registerActiveResourceMetrics(registry);
    registerHeapSizeMetrics(registry);
    registerHeapSpaceMetrics(registry);
    registerVersionInfo(registry);
    stops.push(registerGcMetrics(registry, options.gcDurationBuckets ?? DEFAULT_GC_DURATION_BUCKETS));
  } catch (error) {
    // A taken name or bad buckets: leave no monitor running behind the error.
    for (const stop of stops) stop();
    throw error;
  }
  return {
    stop(): void {
      for (const stop of stops.splice(0)) stop();
    },
  };
}

/** Registers `nodejs_version_info`, always 1, labelled with this Node's version and its parts. */
export function registerVersionInfo(registry: Registry): void {
  const version = process.version;
  const [major = '', minor = '', patch = ''] = version.slice(1).split('.').map((part) => String(Number(part)));
  registry
    .gauge({ name: 'nodejs_version_info', help: 'Node.js version info.', labelNames: ['version', 'major', 'minor', 'patch'] })
    .labels(version, major, minor, patch)
    .set(1);
}
