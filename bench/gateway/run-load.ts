// `npm run bench:gateway`: the gateway load benchmark. Starts the simulated backend, a gateway with
// metrics on and one with metrics off (each its own process), then measures side by side, in rounds
// that alternate the order so drift on a shared machine hits every target alike:
//   - requests straight to the backend, through the gateway with metrics on, and with metrics off,
//     JSON and streaming, at concurrency 1 (latency) and 16 (throughput);
//   - `/metrics` scrapes of the live registry (about 1,000 series) while load runs, and the proxy's
//     latency with and without those scrapes.
// Options: --seconds S (per round, default 2), --rounds N (default 3),
//          --profile DIR (instead: CPU-profile the metrics-on gateway under load and summarize it).

import { cpus, totalmem } from 'node:os';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchProcess, chatRequests } from './bench-fleet.js';
import { summarizeProfile } from './cpu-profile-summary.js';
import { countSeries, summarize, type LatencySummary } from './latency-summary.js';
import { runLoad, runPacedLoad, type LoadResult, type PacedLoadResult } from './load-generator.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, rounds: { type: 'string', default: '3' }, profile: { type: 'string' } } });
const roundMs = Number(values.seconds) * 1000;
const rounds = Number(values.rounds);

type TargetName = 'direct' | 'metrics on' | 'metrics off';
interface Load {
  name: string;
  concurrency: number;
  stream: boolean;
}

const LOADS: readonly Load[] = [
  { name: 'JSON, 1 connection', concurrency: 1, stream: false },
  { name: 'stream, 1 connection', concurrency: 1, stream: true },
  { name: 'JSON, 16 connections', concurrency: 16, stream: false },
  { name: 'stream, 16 connections', concurrency: 16, stream: true },
];

const ms = (value: number): string => `${value.toFixed(3)} ms`;
const verdict = (ok: boolean): string => (ok ? 'meets' : 'MISSES');

async function measureLoads(ports: Record<TargetName, number>): Promise<Map<string, Record<TargetName, LatencySummary>>> {
  const targets = Object.keys(ports) as TargetName[];
  const results = new Map<string, Record<TargetName, LatencySummary>>();
  for (const load of LOADS) {
    const requests = chatRequests(load.stream);
    const runs: Record<TargetName, LoadResult[]> = { direct: [], 'metrics on': [], 'metrics off': [] };
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < targets.length; i++) {
        const target = targets[(round + i) % targets.length]!;
        runs[target].push(await runLoad({ port: ports[target], requests, concurrency: load.concurrency, durationMs: roundMs }));
      }
    }
    results.set(load.name, { direct: summarize(runs.direct), 'metrics on': summarize(runs['metrics on']), 'metrics off': summarize(runs['metrics off']) });
  }
  return results;
}

async function warmUp(ports: readonly number[]): Promise<void> {
  for (const port of ports) {
    for (const stream of [false, true]) await runLoad({ port, requests: chatRequests(stream), concurrency: 8, durationMs: 1000 });
  }
}

interface ScrapeResult {
  ratePerSecond: number;
  maxBacklog: number;
  plain: LatencySummary;
  gzip: LatencySummary;
  withScrapes: LatencySummary;
  withoutScrapes: LatencySummary;
}

// First the capacity of the metrics-on gateway (closed loop, 16 connections, JSON and streaming
// mixed); then steady open-loop load at half of it, in alternating phases without and with a scraper
// process fetching /metrics ten times a second, alternating plain and gzip. Half of capacity is busy
// yet unsaturated, so latencies show what a scrape costs rather than the queue in front of it.
async function measureScrapes(port: number): Promise<ScrapeResult> {
  const mixed = [...chatRequests(false), ...chatRequests(true)];
  const capacity = summarize([await runLoad({ port, requests: mixed, concurrency: 16, durationMs: roundMs })]).requestsPerSecond;
  const ratePerSecond = Math.round(capacity / 2);
  const paced = { port, requests: mixed, ratePerSecond, connections: 64, durationMs: roundMs };
  const scraper = await BenchProcess.spawn('scraper', [String(port)]);
  const without: PacedLoadResult[] = [];
  const withScrapes: PacedLoadResult[] = [];
  const plain: number[] = [];
  const gzip: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      without.push(await runPacedLoad(paced));
      scraper.startScraping(100);
      withScrapes.push(await runPacedLoad(paced));
      const scrapes = await scraper.stopScraping();
      plain.push(...scrapes.plainMs);
      gzip.push(...scrapes.gzipMs);
    }
  } finally {
    await scraper.stop();
  }
  const asRun = (values: number[]): LoadResult => ({ ok: values.length, failed: 0, elapsedMs: 0, latenciesMs: Float64Array.from(values) });
  return {
    ratePerSecond,
    maxBacklog: Math.max(...without.map((r) => r.maxBacklog), ...withScrapes.map((r) => r.maxBacklog)),
    plain: summarize([asRun(plain)]),
    gzip: summarize([asRun(gzip)]),
    withScrapes: summarize(withScrapes),
    withoutScrapes: summarize(without),
  };
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  return response.text();
}

function printMachine(): void {
  const cpu = cpus();
  console.log(`\nMachine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node.js ${process.version}, ${process.platform}`);
  console.log(`Rounds: ${rounds} x ${roundMs / 1000} s per target and load, order rotated each round.`);
}

function printLoads(results: Map<string, Record<TargetName, LatencySummary>>): void {
  console.log('\n### Proxying: straight to the backend vs through the gateway\n');
  console.log('| load | target | requests/s | p50 | p99 | added p50 vs direct | failed |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const [name, byTarget] of results) {
    for (const target of ['direct', 'metrics on', 'metrics off'] as const) {
      const s = byTarget[target];
      const added = target === 'direct' ? '-' : ms(s.p50Ms - byTarget.direct.p50Ms);
      console.log(`| ${name} | ${target === 'direct' ? 'direct to backend' : `gateway, ${target}`} | ${s.requestsPerSecond.toFixed(0)} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${added} | ${s.failed} |`);
    }
  }
}

async function runBenchmark(): Promise<void> {
  const backend = await BenchProcess.spawn('backend');
  const on = await BenchProcess.spawn('gateway-on', [backend.url]);
  const off = await BenchProcess.spawn('gateway-off', [backend.url]);
  try {
    printMachine();
    await warmUp([backend.port, on.port, off.port]);
    const loads = await measureLoads({ direct: backend.port, 'metrics on': on.port, 'metrics off': off.port });
    printLoads(loads);
    const scrape = await measureScrapes(on.port);
    const series = countSeries(await fetchText(`${on.url}/metrics`));
    const render = await on.renderTime(200);
    console.log(`\n### /metrics under load (${scrape.ratePerSecond} req/s steady, half of capacity, JSON and streaming mixed; 10 scrapes/s)\n`);
    console.log('| measurement | p50 | p99 | max |');
    console.log('|---|---:|---:|---:|');
    console.log(`| in-process render of the live registry (${series.series} series, ${series.samples} samples, ${(render.bytes / 1024).toFixed(0)} KiB) | ${ms(render.msPerRender)} | - | - |`);
    console.log(`| scrape, plain text, as the scraper sees it (${scrape.plain.requests} scrapes) | ${ms(scrape.plain.p50Ms)} | ${ms(scrape.plain.p99Ms)} | ${ms(scrape.plain.maxMs)} |`);
    console.log(`| scrape, gzip, as the scraper sees it (${scrape.gzip.requests} scrapes) | ${ms(scrape.gzip.p50Ms)} | ${ms(scrape.gzip.p99Ms)} | ${ms(scrape.gzip.maxMs)} |`);
    console.log(`| proxied requests without scrapes (max backlog ${scrape.maxBacklog}) | ${ms(scrape.withoutScrapes.p50Ms)} | ${ms(scrape.withoutScrapes.p99Ms)} | ${ms(scrape.withoutScrapes.maxMs)} |`);
    console.log(`| proxied requests during scrapes | ${ms(scrape.withScrapes.p50Ms)} | ${ms(scrape.withScrapes.p99Ms)} | ${ms(scrape.withScrapes.maxMs)} |`);
    printChecks(loads, scrape);
  } finally {
    await Promise.all([on.stop(), off.stop()]);
    await backend.stop();
  }
}

function printChecks(loads: Map<string, Record<TargetName, LatencySummary>>, scrape: ScrapeResult): void {
  const rows: [string, string, string, boolean][] = [];
  for (const [name, t] of loads) {
    const on = t['metrics on'];
    const off = t['metrics off'];
    if (name.includes('16 connections')) {
      const ratio = on.requestsPerSecond / off.requestsPerSecond;
      rows.push([`metrics on vs off throughput, ${name}`, `${(ratio * 100).toFixed(1)}%`, '>= 97%', ratio >= 0.97]);
    } else {
      const delta = on.p50Ms - off.p50Ms;
      rows.push([`metrics on vs off p50, ${name}`, `${delta >= 0 ? '+' : ''}${ms(delta)}`, '<= +0.050 ms', delta <= 0.05]);
    }
    if (name === 'JSON, 1 connection') {
      const added = on.p50Ms - t.direct.p50Ms;
      rows.push([`gateway added p50, ${name}`, ms(added), '< 0.500 ms', added < 0.5]);
    }
    const failed = on.failed + off.failed + t.direct.failed;
    if (failed > 0) rows.push([`failed responses, ${name}`, String(failed), '0', false]);
  }
  rows.push(['/metrics scrape p99 under load (plain)', ms(scrape.plain.p99Ms), '< 2.000 ms', scrape.plain.p99Ms < 2]);
  rows.push(['/metrics scrape p99 under load (gzip)', ms(scrape.gzip.p99Ms), '< 2.000 ms', scrape.gzip.p99Ms < 2]);
  const stall = scrape.withScrapes.p99Ms - scrape.withoutScrapes.p99Ms;
  rows.push(['proxy p99 during scrapes minus without', `${stall >= 0 ? '+' : ''}${ms(stall)}`, '<= +0.500 ms', stall <= 0.5]);
  console.log('\n### Targets\n');
  console.log('| check | measured | target | result |');
  console.log('|---|---:|---:|---|');
  for (const [check, measured, target, ok] of rows) console.log(`| ${check} | ${measured} | ${target} | ${verdict(ok)} |`);
}

async function runProfile(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const backend = await BenchProcess.spawn('backend');
  const on = await BenchProcess.spawn('gateway-on', [backend.url], ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  try {
    for (const stream of [false, true]) {
      const result = summarize([await runLoad({ port: on.port, requests: chatRequests(stream), concurrency: 16, durationMs: roundMs * rounds })]);
      console.log(`${stream ? 'stream' : 'JSON'}, 16 connections: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${ms(result.p50Ms)}`);
    }
  } finally {
    await on.stop();
    await backend.stop();
  }
  const newest = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (newest === undefined) throw new Error(`no .cpuprofile written to ${dir}`);
  const summary = summarizeProfile(newest, 30);
  console.log(`\nProfile ${newest}: ${summary.totalMs.toFixed(0)} ms sampled\n`);
  console.log('| area | self ms | share |\n|---|---:|---:|');
  for (const row of summary.areas) console.log(`| ${row.name} | ${row.ms.toFixed(0)} | ${(row.share * 100).toFixed(1)}% |`);
  console.log('\n| function | self ms | share |\n|---|---:|---:|');
  for (const row of summary.functions) console.log(`| ${row.name} | ${row.ms.toFixed(0)} | ${(row.share * 100).toFixed(1)}% |`);
}

if (values.profile !== undefined) await runProfile(resolve(values.profile));
else await runBenchmark();
