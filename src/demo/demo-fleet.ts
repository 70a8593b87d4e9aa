// The demo's fleet: three simulated backends (two Ollama-like, one vLLM-like) with different speeds,
// one of them flaky (it gets ejected and comes back), behind a real gateway with aliases and a fallback chain.

import { defaultConfig } from '../config/defaults.js';
import type { NexusConfig } from '../config/types.js';
import { Gateway } from '../gateway/gateway.js';
import { SILENT_LOGGER } from '../logging/logger.js';
import { SimulatedBackend, type SimulatedBackendOptions } from '../simulator/simulated-backend.js';

/** One simulated backend of the demo and how it behaves. */
export interface DemoBackendSpec {
  name: string;
  /** Lower is preferred. */
  priority: number;
  options: SimulatedBackendOptions;
}

/**
 * The demo fleet: different latencies; `ollama-flaky` is preferred (priority) but fails in runs of
 * four 500s: outlier detection ejects it after three, lets it back in, ejects it again for twice as
 * long on the fourth, and takes it back for good on the next success.
 */
export const DEMO_BACKENDS: readonly DemoBackendSpec[] = [
  { name: 'ollama-fast', priority: 50, options: { type: 'ollama', models: ['llama3.2:3b', 'llama3.1:8b'], latencyMs: 30, chunkDelayMs: 6 } },
  { name: 'ollama-flaky', priority: 30, options: { type: 'ollama', models: ['llama3.1:8b', 'qwen2.5:14b'], latencyMs: 40, chunkDelayMs: 8, mode: 'flapping', flapRun: 4 } },
  { name: 'vllm-gpu', priority: 50, options: { type: 'vllm', models: ['qwen2.5:14b', 'mistral-7b-instruct'], latencyMs: 60, chunkDelayMs: 4 } },
];

/** Outlier ejection in the demo: short, so an ejection and the way back show within a minute. */
export const DEMO_OUTLIER = { consecutive_failures: 3, base_ejection_seconds: 3 } as const;

/** Client-facing names mapped onto served models. */
export const DEMO_ALIASES: Readonly<Record<string, string>> = { 'gpt-4o-mini': 'llama3.2:3b', 'gpt-4o': 'qwen2.5:14b' };

/** `llama3.3:70b` is served by no backend, so its requests walk this chain: every one is a fallback. */
export const DEMO_FALLBACKS: Readonly<Record<string, string[]>> = { 'llama3.3:70b': ['qwen2.5:14b', 'llama3.1:8b'] };

/** A running demo fleet. */
export interface DemoFleet {
  gateway: Gateway;
  url: string;
  backends: { spec: DemoBackendSpec; sim: SimulatedBackend }[];
  stop(): Promise<void>;
}

/** Starts the simulated backends, then the gateway in front of them. */
export async function startDemoFleet(host: string, port: number): Promise<DemoFleet> {
  const backends = await Promise.all(
    DEMO_BACKENDS.map(async (spec) => ({ spec, sim: await SimulatedBackend.start({ ...spec.options, recordRequests: false }) })),
  );
  const config: NexusConfig = defaultConfig();
  config.server.host = host;
  config.server.port = port;
  config.server.shutdown_drain_seconds = 2;
  config.health_check.interval_seconds = 5;
  // The live summary is the demo's console; an access-log line per request would bury it.
  config.logging.access = false;
  config.routing.outlier = { ...DEMO_OUTLIER };
  config.routing.aliases = { ...DEMO_ALIASES };
  config.routing.fallbacks = Object.fromEntries(Object.entries(DEMO_FALLBACKS).map(([k, v]) => [k, [...v]]));
  config.backends = backends.map(({ spec, sim }) => ({ name: spec.name, url: sim.url, type: sim.type, priority: spec.priority }));
  const gateway = new Gateway(config, { logger: SILENT_LOGGER });
  let address;
  try {
    address = await gateway.start();
  } catch (error) {
    await Promise.all(backends.map(({ sim }) => sim.stop()));
    throw error;
  }
  return {
    gateway,
    url: `http://${address.address}:${address.port}`,
    backends,
    async stop() {
      await gateway.stop();
      await Promise.all(backends.map(({ sim }) => sim.stop()));
    },
  };
}
