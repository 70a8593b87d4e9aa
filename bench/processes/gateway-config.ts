// The gateway configuration the benchmarks run: the defaults, plus the settings a bench must make
// (port 0, a short drain, its backends), plus keys that newer builds add, set only where they exist.

import { defaultConfig, type NexusConfig } from '../../src/index.js';

/** How the benchmark's gateway is set up. */
export interface BenchGatewaySettings {
  /** Backend names to configure, all pointing at the benchmark's simulated backend. */
  backends: readonly string[];
  backendUrl: string;
  metrics: boolean;
  /** Round robin spreads traffic over every backend name (bench:gateway's series count needs it). */
  roundRobin: boolean;
  /** `server.workers`, when the build has cluster mode. */
  workers: number;
  /** `server.max_concurrent_requests`, when the build has the limit (0: leave the default). */
  maxConcurrent: number;
}

// Sets `section.key` only when this build's defaults have it, so the bench runs on builds before and
// after the key lands; returns the note the bench prints either way.
function setIfPresent(config: NexusConfig, section: 'server' | 'logging', key: string, value: unknown): string {
  const target = config[section] as Record<string, unknown>;
  if (!(key in target)) return `${section}.${key}: not in this build (left unset)`;
  target[key] = value;
  return `${section}.${key} = ${JSON.stringify(value)}`;
}

/** Builds the benchmark gateway's config and the notes saying which optional keys were set. */
export function buildGatewayConfig(settings: BenchGatewaySettings): { config: NexusConfig; notes: string[] } {
  const config = defaultConfig();
  config.server.port = 0;
  config.server.shutdown_drain_seconds = 1;
  config.logging.level = 'warn';
  config.metrics.enabled = settings.metrics;
  if (settings.roundRobin) config.routing.strategy = 'round_robin';
  config.backends = settings.backends.map((name) => ({ name, url: settings.backendUrl, type: 'vllm', priority: 50 }));
  const notes = [setIfPresent(config, 'logging', 'access', true), setIfPresent(config, 'server', 'workers', settings.workers)];
  if (settings.maxConcurrent > 0) notes.push(setIfPresent(config, 'server', 'max_concurrent_requests', settings.maxConcurrent));
  return { config, notes };
}
