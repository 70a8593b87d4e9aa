// `npm run bench:gateway`: the gateway load benchmark. Starts the simulated backend, a gateway with
// metrics on, one with metrics off and a minimal node:http JSON proxy (each its own process), then
// measures side by side, in rounds that rotate the order so drift on a shared machine hits every
// target alike:
//   - requests straight to the backend, through the minimal proxy (JSON only) and through both
//     gateways, JSON and streaming, at 1 connection (latency) and 16 and 32 (throughput);
//   - `/metrics` scrapes of the live registry (about 1,000 series) while load runs, and the proxy's
//     latency with and without those scrapes.
// Options: --seconds S (per round, default 2), --rounds N (default 3), --workers N (server.workers),
//          --profile DIR (instead: CPU-profile the metrics-on gateway under load and summarize it).

import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad } from '../client/load-generator.js';
import { BenchProcess } from '../processes/bench-process.js';
import type { ChildSpec } from '../processes/messages.js';
import { printProfile } from '../report/cpu-profile-summary.js';
import { progress } from '../report/progress.js';
import { describeMachine, formatMs, printTargets } from '../report/report-table.js';
import { BENCH_BACKEND_NAMES, BENCH_MODELS, chatRequests } from './bench-fleet.js';
import { checkGatewayTargets, printLoads, printScrapes, type LoadResults, type TargetName } from './gateway-report.js';
import { countSeries, summarize } from './latency-summary.js';
import { measureScrapes } from './scrape-load.js';
import type { LoadResult } from '../client/load-generator.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '2' }, rounds: { type: 'string', default: '3' }, workers: { type: 'string', default: '1' }, profile: { type: 'string' } },
});
const roundMs = Number(values.seconds) * 1000;
const rounds = Number(values.rounds);
const workers = Number(values.workers);

interface Load {
  name: string;
  concurrency: number;
  stream: boolean;
}

const LOADS: readonly Load[] = [
  { name: 'JSON, 1 connection', concurrency: 1, stream: false },
  { name: 'stream, 1 connection', concurrency: 1, stream: true },
  { name: 'JSON, 16 connections', concurrency: 16, stream: false },
  { name: 'JSON, 32 connections', concurrency: 32, stream: false },
  { name: 'stream, 16 connections', concurrency: 16, stream: true },
];

// Gateways log to a file: with the access log on, one line per request would flood the terminal.
function logFile(name: string): string {
  return join(tmpdir(), `nexus-bench-gateway-${process.pid}-${name}.log`);
}

function gatewaySpec(backendUrl: string, metrics: boolean): ChildSpec {
  return { role: 'gateway', backendUrl, backends: [...BENCH_BACKEND_NAMES], roundRobin: true, metrics, workers, maxConcurrent: 0 };
}

// The minimal proxy parses JSON replies, so it only takes the JSON loads.
async function measureLoads(ports: Record<TargetName, number>): Promise<LoadResults> {
  const results: LoadResults = new Map();
  for (const load of LOADS) {
    const targets = (Object.keys(ports) as TargetName[]).filter((t) => !(load.stream && t === 'minimal proxy'));
    const requests = chatRequests(load.stream);
    const runs = new Map<TargetName, LoadResult[]>(targets.map((t) => [t, []]));
    for (let round = 0; round < rounds; round++) {
      progress(`${load.name}: round ${round + 1} of ${rounds} (${targets.length} targets x ${roundMs / 1000} s)`);
      for (let i = 0; i < targets.length; i++) {
        const target = targets[(round + i) % targets.length]!;
        runs.get(target)!.push(await runLoad({ port: ports[target], requests, concurrency: load.concurrency, durationMs: roundMs }));
      }
    }
    results.set(load.name, Object.fromEntries(targets.map((t) => [t, summarize(runs.get(t)!)])));
  }
  return results;
}

async function warmUp(ports: readonly number[], jsonOnly: readonly number[]): Promise<void> {
  progress('warm-up: 1 s per target and request kind');
  for (const port of ports) {
    for (const stream of [false, true]) {
      if (stream && jsonOnly.includes(port)) continue;
      await runLoad({ port, requests: chatRequests(stream), concurrency: 8, durationMs: 1000 });
    }
  }
}

async function runBenchmark(): Promise<void> {
  const backend = await BenchProcess.spawn({ role: 'backend', models: [...BENCH_MODELS] });
  const on = await BenchProcess.spawn(gatewaySpec(backend.url, true), { stderrFile: logFile('metrics-on') });
  const off = await BenchProcess.spawn(gatewaySpec(backend.url, false), { stderrFile: logFile('metrics-off') });
  const proxy = await BenchProcess.spawn({ role: 'json-proxy', backendUrl: backend.url });
  try {
    console.log(`\nMachine: ${describeMachine()} (shared with other work: expect noise; compare same-run ratios)`);
    console.log(`Rounds: ${rounds} x ${roundMs / 1000} s per target and load, order rotated each round; --workers ${workers}.`);
    console.log(`Gateway config: ${on.notes.join('; ')}; logs in ${logFile('metrics-on')} and ${logFile('metrics-off')}.`);
    await warmUp([backend.port, on.port, off.port, proxy.port], [proxy.port]);
    const loads = await measureLoads({ direct: backend.port, 'metrics on': on.port, 'metrics off': off.port, 'minimal proxy': proxy.port });
    printLoads(loads);
    const scrape = await measureScrapes(on.port, roundMs, rounds);
    const series = countSeries(await (await fetch(`${on.url}/metrics`)).text());
    const render = await on.renderTime(200);
    printScrapes(scrape, series, render);
    printTargets(checkGatewayTargets(loads, scrape));
  } finally {
    await Promise.all([on.stop(), off.stop(), proxy.stop()]);
    await backend.stop();
  }
}

async function runProfile(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const backend = await BenchProcess.spawn({ role: 'backend', models: [...BENCH_MODELS] });
  const on = await BenchProcess.spawn(gatewaySpec(backend.url, true), { execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`], stderrFile: logFile('profile') });
  try {
    for (const stream of [false, true]) {
      progress(`profiling: ${stream ? 'stream' : 'JSON'}, 16 connections, ${(roundMs * rounds) / 1000} s`);
      const result = summarize([await runLoad({ port: on.port, requests: chatRequests(stream), concurrency: 16, durationMs: roundMs * rounds })]);
      console.log(`${stream ? 'stream' : 'JSON'}, 16 connections: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${formatMs(result.p50Ms)}`);
    }
  } finally {
    await on.stop();
    await backend.stop();
  }
  printProfile(dir);
}

if (values.profile !== undefined) await runProfile(resolve(values.profile));
else await runBenchmark();
