// Event-loop lag as prom-client 15 measures it: a setImmediate probe per scrape for
// `nodejs_eventloop_lag_seconds`, and monitorEventLoopDelay statistics per scrape window.

import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Gauge } from '../gauge.js';
import type { Registry } from '../registry.js';

/** prom-client's default `eventLoopMonitoringPrecision`: the delay monitor samples every 10 ms. */
export const DEFAULT_EVENT_LOOP_RESOLUTION_MS = 10;

/**
 * Registers the lag probe and the delay statistics; returns a function that disables the monitor and
 * cancels a pending probe.
 *
 * prom-client's probe records, once the loop reaches the check phase, how long after the scrape's
 * collect step that was; its gauge is read in the same turn, so every scrape reports the probe of the
 * scrape before (0 on the first). Our collect callbacks are synchronous, so the probe below is the same
 * mechanism with the same one-scrape delay, and no async collect is needed.
 */
export function registerEventLoopMetrics(registry: Registry, resolutionMs = DEFAULT_EVENT_LOOP_RESOLUTION_MS): () => void {
  const delay = monitorEventLoopDelay({ resolution: resolutionMs });
  delay.enable();
  let probeStart = 0;
  let probe: NodeJS.Immediate | null = null;
  const finishProbe = (): void => {
    probe = null;
    lag.set((performance.now() - probeStart) / 1e3);
  };

  const lag = registry.gauge({
    name: 'nodejs_eventloop_lag_seconds',
    help: 'Lag of event loop in seconds.',
    collect: () => {
      // Two scrapes in one turn share a probe, timed from the later one, as prom-client's later write wins.
      probeStart = performance.now();
      if (probe === null) probe = setImmediate(finishProbe);
      // An empty window (scrapes closer than the resolution) keeps the previous window's figures:
      // prom-client would report the empty histogram's sentinels (min 9.2e9 s, mean NaN).
      if (delay.count === 0) return;
      min.set(delay.min / 1e9);
      max.set(delay.max / 1e9);
      mean.set(delay.mean / 1e9);
      stddev.set(delay.stddev / 1e9);
      p50.set(delay.percentile(50) / 1e9);
      p90.set(delay.percentile(90) / 1e9);
      p99.set(delay.percentile(99) / 1e9);
      delay.reset();
    },
  });
  const min = delayGauge(registry, 'min', 'The minimum recorded event loop delay.');
  const max = delayGauge(registry, 'max', 'The maximum recorded event loop delay.');
  const mean = delayGauge(registry, 'mean', 'The mean of the recorded event loop delays.');
  const stddev = delayGauge(registry, 'stddev', 'The standard deviation of the recorded event loop delays.');
  const p50 = delayGauge(registry, 'p50', 'The 50th percentile of the recorded event loop delays.');
  const p90 = delayGauge(registry, 'p90', 'The 90th percentile of the recorded event loop delays.');
  const p99 = delayGauge(registry, 'p99', 'The 99th percentile of the recorded event loop delays.');

  return () => {
    delay.disable();
    if (probe !== null) clearImmediate(probe);
    probe = null;
  };
}

function delayGauge(registry: Registry, statistic: string, help: string): Gauge {
  return registry.gauge({ name: `nodejs_eventloop_lag_${statistic}_seconds`, help });
}
