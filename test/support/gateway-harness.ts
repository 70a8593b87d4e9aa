// Starts a real gateway on port 0 in front of simulated backends, for integration tests.

import type { AddressInfo } from 'node:net';
import { defaultConfig } from '../../src/config/defaults.js';
import type { BackendConfig, NexusConfig } from '../../src/config/types.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { SILENT_LOGGER } from '../../src/logging/logger.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';

/** A started gateway and its base URL. */
export interface Harness {
  gateway: Gateway;
  url: string;
  close(): Promise<void>;
}

/** Builds a config for tests: port 0, fast health checks, given backends. */
export function testConfig(backends: BackendConfig[], tweak: (config: NexusConfig) => void = () => {}): NexusConfig {
  const config = defaultConfig();
  config.server.port = 0;
  config.server.shutdown_drain_seconds = 1;
  config.health_check.timeout_seconds = 1;
  config.health_check.interval_seconds = 3600;
  config.logging.level = 'silent';
  config.logging.access = false;
  config.backends = backends;
  tweak(config);
  return config;
}

/** Starts a gateway for the config. */
export async function startGateway(config: NexusConfig, env: NodeJS.ProcessEnv = {}): Promise<Harness> {
  const gateway = new Gateway(config, { logger: SILENT_LOGGER, env });
  const address: AddressInfo = await gateway.start();
  return { gateway, url: `http://127.0.0.1:${address.port}`, close: () => gateway.stop() };
}

/** Backend config entry for a simulated backend. */
export function backendEntry(name: string, sim: SimulatedBackend, extra: Partial<BackendConfig> = {}): BackendConfig {
  return { name, url: sim.url, type: sim.type === 'vllm' ? 'vllm' : sim.type, priority: 50, ...extra };
}

/** POSTs a chat completion; returns status, headers and text. */
export async function chat(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string; json: () => any }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

/** A minimal chat body. */
export function chatBody(model: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model, messages: [{ role: 'user', content: 'Hi' }], ...extra };
}

/** Sum of pending requests over the fleet. */
export function totalPending(harness: Harness): number {
  return harness.gateway.fleet.all().reduce((sum, b) => sum + b.pending, 0);
}

/** Waits until the predicate holds (polling), failing after `ms`. */
export async function waitFor(predicate: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A gateway with one backend that is never checked nor sent traffic (health checks off): for tests of its own pages. */
export function startIdleGateway(tweak: (config: NexusConfig) => void = () => {}, env: NodeJS.ProcessEnv = {}): Promise<Harness> {
  const idle: BackendConfig = { name: 'idle', url: 'http://127.0.0.1:9', type: 'generic', priority: 50 };
  return startGateway(
    testConfig([idle], (config) => {
      config.health_check.enabled = false;
      tweak(config);
    }),
    env,
  );
}
