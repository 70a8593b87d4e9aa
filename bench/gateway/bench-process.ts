// A child process of the gateway benchmark: the simulated backend, one gateway (metrics on or off),
// or the /metrics scraper. Each runs in its own process, as in production, so the load generator,
// the gateway, the backend and the scraper never share an event loop. Talks to the parent over IPC.

import { defaultConfig } from '../../src/config/defaults.js';
import type { NexusConfig } from '../../src/config/types.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { SILENT_LOGGER } from '../../src/logging/logger.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { BENCH_BACKEND_NAMES, BENCH_MODELS } from './bench-fleet.js';
import { buildGetRequest, KeepAliveConnection } from './load-generator.js';

/** Messages the parent sends. */
export type ParentMessage = { type: 'stop' } | { type: 'render-time'; renders: number } | { type: 'scrape-start'; intervalMs: number } | { type: 'scrape-stop' };

/** Messages a child sends. */
export type ChildMessage =
  | { type: 'listening'; port: number }
  | { type: 'render-time'; msPerRender: number; bytes: number }
  | { type: 'scrapes'; plainMs: number[]; gzipMs: number[] };

function gatewayConfig(backendUrl: string, metrics: boolean): NexusConfig {
  const config = defaultConfig();
  config.server.port = 0;
  config.server.shutdown_drain_seconds = 1;
  config.logging.level = 'warn';
  config.metrics.enabled = metrics;
  // Round robin spreads every model over all four backend names, so the fleet's (model, backend)
  // pairs all carry traffic and /metrics holds the series count the scrape scenario needs.
  config.routing.strategy = 'round_robin';
  config.backends = BENCH_BACKEND_NAMES.map((name) => ({ name, url: backendUrl, type: 'vllm', priority: 50 }));
  return config;
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

const [role, backendUrl] = process.argv.slice(2);
if (role === 'backend') {
  const backend = await SimulatedBackend.start({ type: 'vllm', models: [...BENCH_MODELS], recordRequests: false });
  send({ type: 'listening', port: Number(new URL(backend.url).port) });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') void backend.stop().then(() => process.exit(0));
  });
} else if (role === 'gateway-on' || role === 'gateway-off') {
  if (backendUrl === undefined) throw new Error('usage: bench-process gateway-on|gateway-off BACKEND_URL');
  const gateway = new Gateway(gatewayConfig(backendUrl, role === 'gateway-on'), { logger: SILENT_LOGGER });
  const address = await gateway.start();
  send({ type: 'listening', port: address.port });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') void gateway.stop().then(() => process.exit(0));
    if (message.type === 'render-time') {
      const instrumentation = gateway.instrumentation;
      if (instrumentation === null) return send({ type: 'render-time', msPerRender: 0, bytes: 0 });
      let bytes = 0;
      const started = performance.now();
      for (let i = 0; i < message.renders; i++) bytes = instrumentation.render().length;
      send({ type: 'render-time', msPerRender: (performance.now() - started) / message.renders, bytes });
    }
  });
} else if (role === 'scraper') {
  // Scrapes GET /metrics every `intervalMs`, alternating plain and gzip (Prometheus asks for gzip),
  // timing each from the first byte sent to the last byte received.
  const port = Number(backendUrl);
  const requests = [buildGetRequest('/metrics'), buildGetRequest('/metrics', { 'Accept-Encoding': 'gzip' })] as const;
  let scraping = false;
  let done: Promise<void> = Promise.resolve();
  const plainMs: number[] = [];
  const gzipMs: number[] = [];
  const scrape = async (intervalMs: number): Promise<void> => {
    const connection = new KeepAliveConnection(port);
    await connection.opened();
    for (let i = 0; scraping; i++) {
      const timing = await connection.request(requests[i % 2]!);
      if (timing.status !== 200) throw new Error(`/metrics answered ${timing.status}`);
      (i % 2 === 0 ? plainMs : gzipMs).push(timing.ms);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    connection.close();
  };
  send({ type: 'listening', port: 0 });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'scrape-start') {
      scraping = true;
      done = scrape(message.intervalMs);
    } else if (message.type === 'scrape-stop') {
      scraping = false;
      void done.then(() => {
        send({ type: 'scrapes', plainMs: plainMs.splice(0), gzipMs: gzipMs.splice(0) });
      });
    } else if (message.type === 'stop') {
      process.exit(0);
    }
  });
} else {
  throw new Error(`unknown role ${String(role)}`);
}
