// `npm run soak`: a gateway (in its own process) under mixed traffic with every fault the simulator
// has (hangs before and after headers, 500s, busy 429/503, flapping, 400s, garbage, cut and long
// streams) and every client misbehaviour (slow readers, aborts, slow and too-slow uploads). Prints RSS at start, after warm-up and at the end, the event-loop delay
// p99, and requests sent vs counted; `test/soak.test.ts` runs a 20-second version and fails on a
// count mismatch, pending not back to 0, or RSS growth past 30 MB after warm-up.

import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultConfig } from '../../src/config/defaults.js';
import type { NexusConfig } from '../../src/config/types.js';
import { SimulatedBackend, type SimulatedMode, type SimulatedType } from '../../src/simulator/simulated-backend.js';
import type { SoakChildMessage, SoakParentMessage } from './soak-gateway.js';
import { runTraffic, SOAK_MODELS, TRAFFIC_KINDS, type TrafficKind } from './soak-traffic.js';

/** How to run the soak. */
export interface SoakOptions {
  seconds: number;
  /** Clients running exchanges back to back. */
  concurrency: number;
  /** Progress lines (the CLI prints them; the test stays quiet). */
  log?: (line: string) => void;
}

/** What the soak measured. */
export interface SoakResult {
  sent: number;
  counted: number;
  pendingAfter: number;
  sentByKind: Record<string, number>;
  rssStartMb: number;
  rssWarmMb: number;
  rssEndMb: number;
  heapWarmMb: number;
  heapEndMb: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

const MB = 1024 * 1024;

// One simulated backend per fault, each serving the model its traffic kind asks for.
const FLEET: { name: string; type: SimulatedType; models: string[]; mode: SimulatedMode; chunkDelayMs?: number; streamRepeat?: number }[] = [
  { name: 'ok-ollama', type: 'ollama', models: [SOAK_MODELS.ok], mode: 'ok' },
  { name: 'streamy-vllm', type: 'vllm', models: [SOAK_MODELS.streamy], mode: 'ok', chunkDelayMs: 2 },
  { name: 'long-streams', type: 'vllm', models: [SOAK_MODELS.long], mode: 'ok', streamRepeat: 30 },
  { name: 'flaky', type: 'vllm', models: [SOAK_MODELS.flaky], mode: 'error500' },
  { name: 'garbage', type: 'vllm', models: [SOAK_MODELS.garbage], mode: 'garbage' },
  { name: 'hang', type: 'vllm', models: [SOAK_MODELS.hang], mode: 'hang' },
  { name: 'after-headers', type: 'vllm', models: [SOAK_MODELS.afterHeaders], mode: 'hang-after-headers' },
  { name: 'busy-429', type: 'vllm', models: [SOAK_MODELS.busy429], mode: 'busy429' },
  { name: 'busy-503', type: 'vllm', models: [SOAK_MODELS.busy503], mode: 'busy503' },
  { name: 'flapping', type: 'vllm', models: [SOAK_MODELS.flapping], mode: 'flapping' },
  { name: 'picky', type: 'llamacpp', models: [SOAK_MODELS.picky], mode: 'status400' },
  { name: 'cut', type: 'vllm', models: [SOAK_MODELS.cut], mode: 'die-mid-stream' },
  { name: 'cut-early', type: 'vllm', models: [SOAK_MODELS.cutEarly], mode: 'die-before-data' },
];

function soakConfig(backends: { name: string; sim: SimulatedBackend }[]): NexusConfig {
  const config = defaultConfig();
  config.server.port = 0;
  config.server.request_timeout_seconds = 1;
  config.server.stream_idle_timeout_seconds = 1;
  config.server.body_timeout_seconds = 1;
  config.server.headers_timeout_seconds = 2;
  config.server.write_stall_timeout_seconds = 2;
  config.server.shutdown_drain_seconds = 2;
  config.health_check.interval_seconds = 2;
  // Attempts that hang fail over after a second, as the request does.
  config.routing.first_byte_timeout_seconds = 1;
  config.routing.attempt_timeout_seconds = 1;
  config.routing.max_retries = 1;
  config.routing.aliases = { [SOAK_MODELS.alias]: SOAK_MODELS.streamy };
  config.routing.fallbacks = { [SOAK_MODELS.fallback]: [SOAK_MODELS.ok] };
  config.logging.level = 'silent';
  config.backends = backends.map(({ name, sim }) => ({ name, url: sim.url, type: sim.type, priority: 50 }));
  return config;
}

// Sum of one family's samples in 0.0.4 text (optionally only lines containing `match`).
function sumFamily(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

async function scrape(port: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}

/** Runs the soak and reports what it measured (it throws only if the gateway cannot start). */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => {});
  const sims = await Promise.all(FLEET.map(async (spec) => {
    const sim = await SimulatedBackend.start({ type: spec.type, models: spec.models, recordRequests: false, chunkDelayMs: spec.chunkDelayMs ?? 0 });
    sim.mode = spec.mode;
    sim.streamRepeat = spec.streamRepeat ?? 1;
    return { name: spec.name, sim };
  }));
  const child = fork(fileURLToPath(new URL('./soak-gateway.js', import.meta.url)), [], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, NEXUS_SOAK_CONFIG: JSON.stringify(soakConfig(sims)) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // Waits for the child's next message of `type` (and `id`, for samples).
  const next = <T extends SoakChildMessage['type']>(type: T, id = -1): Promise<Extract<SoakChildMessage, { type: T }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: SoakChildMessage): void => {
        if (message.type !== type || (message.type === 'sample' && message.id !== id)) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<SoakChildMessage, { type: T }>);
      };
      const onExit = (code: number | null): void => reject(new Error(`the gateway process exited (${code}) while waiting for ${type}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  let samples = 0;
  const sample = (resetDelay: boolean, collect = true) => {
    const id = samples++;
    const answer = next('sample', id);
    child.send({ type: 'sample', id, resetDelay, collect } satisfies SoakParentMessage);
    return answer;
  };
  const { port } = await next('listening');
  const start = await sample(true);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const sentByKind: Record<string, number> = {};
  let sent = 0;
  let issued = 0;
  // V8 grows its young generation and malloc its arenas during the first seconds: measure growth after that.
  const warmUpMs = Math.min(10_000, options.seconds * 400);
  const startedAt = performance.now();
  const endAt = startedAt + options.seconds * 1000;
  let warm: Awaited<ReturnType<typeof sample>> | null = null;
  const warmTimer = setTimeout(() => void sample(true).then((s) => (warm = s)), warmUpMs);
  const progress = setInterval(() => {
    void sample(false, false).then((s) => log(`  ${((performance.now() - startedAt) / 1000).toFixed(0)} s: ${sent} requests sent, gateway RSS ${(s.rssBytes / MB).toFixed(1)} MB, heap ${(s.heapUsedBytes / MB).toFixed(1)} MB`));
  }, 5_000);
  const client = async (): Promise<void> => {
    while (performance.now() < endAt) {
      const kind = TRAFFIC_KINDS[issued++ % TRAFFIC_KINDS.length] as TrafficKind;
      sent++;
      sentByKind[kind] = (sentByKind[kind] ?? 0) + 1;
      await runTraffic(kind, port, agent);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  clearInterval(progress);
  clearTimeout(warmTimer);
  agent.destroy();
  // Every exchange is over on the client side; the gateway records each when its response closes.
  let text = await scrape(port);
  const settleUntil = performance.now() + 5000;
  while ((sumFamily(text, 'nexus_requests_total') !== sent || sumFamily(text, 'nexus_pending_requests') !== 0) && performance.now() < settleUntil) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    text = await scrape(port);
  }
  // Read the delay before the final collection, then measure memory after it.
  const loopAtEnd = await sample(false, false);
  const end = await sample(false);
  const stopped = next('stopped');
  child.send({ type: 'stop' } satisfies SoakParentMessage);
  await stopped;
  await Promise.all(sims.map(({ sim }) => sim.stop()));
  const warmSample = (warm as Awaited<ReturnType<typeof sample>> | null) ?? start;
  return {
    sent,
    counted: sumFamily(text, 'nexus_requests_total'),
    pendingAfter: sumFamily(text, 'nexus_pending_requests'),
    sentByKind,
    rssStartMb: start.rssBytes / MB,
    rssWarmMb: warmSample.rssBytes / MB,
    rssEndMb: end.rssBytes / MB,
    heapWarmMb: warmSample.heapUsedBytes / MB,
    heapEndMb: end.heapUsedBytes / MB,
    loopDelayP99Ms: loopAtEnd.loopDelayP99Ms,
    loopDelayMaxMs: loopAtEnd.loopDelayMaxMs,
  };
}

/** The one-screen report `npm run soak` prints. */
export function formatSoakResult(result: SoakResult, seconds: number): string {
  return [
    `soak: ${seconds} s of mixed traffic, ${TRAFFIC_KINDS.length} kinds (${TRAFFIC_KINDS.join(', ')})`,
    `requests: sent ${result.sent}, counted ${result.counted} (${result.sent === result.counted ? 'exact' : 'MISMATCH'}), pending after ${result.pendingAfter}`,
    `gateway RSS: start ${result.rssStartMb.toFixed(1)} MB, after warm-up ${result.rssWarmMb.toFixed(1)} MB, end ${result.rssEndMb.toFixed(1)} MB (${(result.rssEndMb - result.rssWarmMb >= 0 ? '+' : '')}${(result.rssEndMb - result.rssWarmMb).toFixed(1)} MB since warm-up)`,
    `gateway heap used (after GC): after warm-up ${result.heapWarmMb.toFixed(1)} MB, end ${result.heapEndMb.toFixed(1)} MB`,
    `event-loop delay after warm-up: p99 ${result.loopDelayP99Ms.toFixed(1)} ms, max ${result.loopDelayMaxMs.toFixed(1)} ms`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, concurrency: { type: 'string', default: '32' } } });
  const seconds = Number(values.seconds);
  const result = await runSoak({ seconds, concurrency: Number(values.concurrency), log: (line) => console.log(line) });
  console.log(formatSoakResult(result, seconds));
  const ok = result.sent === result.counted && result.pendingAfter === 0;
  process.exit(ok ? 0 : 1);
}
