// A child process of the benchmarks: the simulated backend, a gateway, a reference relay or proxy,
// or the /metrics scraper. Each runs in its own process, as in production, so the load generator and
// the servers never share an event loop. Started with a JSON `ChildSpec`; talks to the parent over IPC.

import { readFileSync } from 'node:fs';
import { ClusterPrimary, Gateway, type NexusConfig } from '../../src/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { buildGetRequest, KeepAliveConnection } from '../client/load-generator.js';
import { buildGatewayConfig } from './gateway-config.js';
import type { ChildMessage, ChildSpec, ParentMessage, ProcessUsage } from './messages.js';
import { startJsonProxy, startPipeRelay } from './reference-servers.js';

function send(message: ChildMessage): void {
  process.send?.(message);
}

// CPU of other processes (a cluster's workers) in microseconds, from /proc/PID/stat (utime + stime,
// in clock ticks of 10 ms on Linux); a process that is gone counts 0.
function cpuOfPidsUs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Exited between listing and reading.
    }
  }
  return ticks * 10_000;
}

// Worker pids of a cluster gateway in this process (its CPU counts for the gateway), if any.
let groupPids: () => number[] = () => [];

function usage(connections: number): ProcessUsage {
  const cpu = process.cpuUsage();
  return { cpuUs: cpu.user + cpu.system + cpuOfPidsUs(groupPids()), maxRssBytes: process.resourceUsage().maxRSS * 1024, connections };
}

// Answers the messages every server role shares: usage (CPU and peak RSS for the parent's tables) and stop.
function serve(port: number, notes: string[], stop: () => Promise<void>, connections: () => number = () => -1, onOther?: (message: ParentMessage) => void): void {
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') void stop().then(() => process.exit(0));
    else if (message.type === 'usage') send({ type: 'usage', ...usage(connections()) });
    else onOther?.(message);
  });
  send({ type: 'listening', port, notes });
}

async function startGateway(spec: Extract<ChildSpec, { role: 'gateway' }>): Promise<void> {
  const { config, notes } = buildGatewayConfig(spec);
  // The gateway's own logger (stderr, which the parent points at a log file), so access-log lines
  // cost what they cost in production.
  const workers = config.server.workers === 'auto' ? 2 : config.server.workers;
  if (workers > 1) return startGroup(config, workers, notes);
  const gateway = new Gateway(config);
  const address = await gateway.start();
  serve(address.port, notes, () => gateway.stop(), undefined, (message) => {
    if (message.type !== 'render-time') return;
    const instrumentation = gateway.instrumentation;
    if (instrumentation === null) return send({ type: 'render-time', msPerRender: 0, bytes: 0 });
    let bytes = 0;
    const started = performance.now();
    for (let i = 0; i < message.renders; i++) bytes = instrumentation.render().length;
    send({ type: 'render-time', msPerRender: (performance.now() - started) / message.renders, bytes });
  });
}

// server.workers > 1: this process is the group's primary, as `nexus serve --workers N` runs it.
// render-time then measures a whole group scrape as the primary serves it: every worker pushes,
// the primary merges and renders (the IPC hop from the scraped worker not included).
async function startGroup(config: NexusConfig, workers: number, notes: string[]): Promise<void> {
  const primary = new ClusterPrimary(config, workers, createLogger(config.logging.level));
  const port = await primary.start();
  groupPids = () => primary.workerPids();
  serve(port, [...notes, `cluster: ${workers} workers (usage counts the primary and its workers)`], () => primary.stop(), undefined, (message) => {
    if (message.type !== 'render-time') return;
    void (async () => {
      let bytes = 0;
      const started = performance.now();
      for (let i = 0; i < message.renders; i++) bytes = (await primary.renderMetrics('prometheus')).length;
      send({ type: 'render-time', msPerRender: (performance.now() - started) / message.renders, bytes });
    })();
  });
}

// Scrapes GET /metrics every `intervalMs`, alternating plain and gzip (Prometheus asks for gzip),
// timing each from the first byte sent to the last byte received.
function startScraper(port: number): void {
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
  serve(0, [], async () => {}, undefined, (message) => {
    if (message.type === 'scrape-start') {
      scraping = true;
      done = scrape(message.intervalMs);
    } else if (message.type === 'scrape-stop') {
      scraping = false;
      void done.then(() => send({ type: 'scrapes', plainMs: plainMs.splice(0), gzipMs: gzipMs.splice(0) }));
    }
  });
}

const spec = JSON.parse(process.argv[2] ?? '{}') as ChildSpec;
switch (spec.role) {
  case 'backend': {
    const { models, streamChunks = 0, chunkDelayMs = 0 } = spec;
    const backend = await SimulatedBackend.start({ type: 'vllm', models, recordRequests: false, streamChunks, chunkDelayMs });
    serve(Number(new URL(backend.url).port), [], () => backend.stop(), () => backend.connections);
    break;
  }
  case 'gateway':
    await startGateway(spec);
    break;
  case 'pipe-relay': {
    const relay = await startPipeRelay(spec.backendUrl);
    serve(relay.port, [], () => relay.close());
    break;
  }
  case 'json-proxy': {
    const proxy = await startJsonProxy(spec.backendUrl);
    serve(proxy.port, [], () => proxy.close());
    break;
  }
  case 'scraper':
    startScraper(spec.port);
    break;
  default:
    throw new Error(`unknown child spec ${JSON.stringify(spec)}`);
}
