// `npm run bench:streams`: many concurrent, paced LLM streams from the simulated backend, measured
// straight from the backend, through a bare node:http pipe relay (the floor) and through the gateway
// (default config, access log on), each server in its own process, the order rotated every round;
// then N steps up until the gateway misses a target. Options:
//   --steps 1000,2000,5000,10000  --max-n N  --chunks 50  --interval-ms 40  --ramp-ms 1000
//   --rounds 2  --workers N  --all-steps (keep stepping after a miss)  --timeout-seconds 120
//   --profile DIR (instead: CPU-profile the gateway under the first step's load and summarize it)

import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildPostRequest } from '../client/load-generator.js';
import { BenchProcess } from '../processes/bench-process.js';
import { printProfile } from '../report/cpu-profile-summary.js';
import { progress, withProgress } from '../report/progress.js';
import { describeMachine, printTargets } from '../report/report-table.js';
import { runStreams, type StreamLoadResult } from './stream-client.js';
import { printNotes, printStepTable } from './stream-report.js';
import { summarizeStreams, type StreamSummary } from './stream-summary.js';
import { checkQueueGauge, checkStreamTargets, type StepSummaries } from './stream-targets.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '1000,2000,5000,10000' },
    'max-n': { type: 'string', default: '10000' },
    chunks: { type: 'string', default: '50' },
    'interval-ms': { type: 'string', default: '40' },
    'ramp-ms': { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '2' },
    workers: { type: 'string', default: '1' },
    'all-steps': { type: 'boolean', default: false },
    'timeout-seconds': { type: 'string', default: '120' },
    profile: { type: 'string' },
  },
});
const chunks = Number(values.chunks);
const intervalMs = Number(values['interval-ms']);
const rampMs = Number(values['ramp-ms']);
const rounds = Number(values.rounds);
const workers = Number(values.workers);
const steps = values.steps.split(',').map(Number).filter((n) => n > 0 && n <= Number(values['max-n']));
const MODEL = 'bench-stream-model';
const REQUEST = buildPostRequest('/v1/chat/completions', { model: MODEL, messages: [{ role: 'user', content: 'Tell me a story.' }], max_tokens: 256, stream: true });
// Each paced write carries one event; the last also carries `data: [DONE]`.
const EXPECTED_EVENTS = chunks + 1;

type TargetName = 'direct' | 'floor' | 'gateway';
const TARGETS: readonly TargetName[] = ['direct', 'floor', 'gateway'];
const LABELS: Record<TargetName, string> = { direct: 'direct to backend', floor: 'bare pipe relay (floor)', gateway: 'gateway' };

interface Servers {
  backend: BenchProcess;
  floor: BenchProcess;
  gateway: BenchProcess;
  logFile: string;
}

async function startServers(n: number, execArgv: string[] = []): Promise<Servers> {
  const backend = await BenchProcess.spawn({ role: 'backend', models: [MODEL], streamChunks: chunks, chunkDelayMs: intervalMs });
  const floor = await BenchProcess.spawn({ role: 'pipe-relay', backendUrl: backend.url });
  const logFile = join(tmpdir(), `nexus-bench-streams-${process.pid}-${n}.log`);
  const gateway = await BenchProcess.spawn(
    { role: 'gateway', backendUrl: backend.url, backends: ['sim'], roundRobin: false, metrics: true, workers, maxConcurrent: 2 * n },
    { stderrFile: logFile, execArgv },
  );
  return { backend, floor, gateway, logFile };
}

async function stopServers(servers: Servers): Promise<void> {
  await Promise.all([servers.gateway.stop(), servers.floor.stop()]);
  await servers.backend.stop();
}

function load(port: number, streams: number, ramp = rampMs): Promise<StreamLoadResult> {
  return runStreams({ port, request: REQUEST, streams, rampMs: ramp, expectedEvents: EXPECTED_EVENTS, timeoutMs: Number(values['timeout-seconds']) * 1000 });
}

function describeRun(label: string, run: StreamLoadResult): string {
  const failed = run.streams - run.completed;
  return `${label}: ${run.completed} complete, ${failed} failed${failed > 0 ? ` ${JSON.stringify(run.failures)}` : ''}, ${(run.elapsedMs / 1000).toFixed(1)} s`;
}

async function measureStep(n: number, stepIndex: number): Promise<{ step: StepSummaries; queued: boolean; notes: readonly string[] }> {
  const servers = await startServers(n);
  try {
    const byTarget: Record<TargetName, BenchProcess> = { direct: servers.backend, floor: servers.floor, gateway: servers.gateway };
    await withProgress(`N=${n}: warm-up, 100 streams on each target at once`, () => Promise.all(TARGETS.map((t) => load(byTarget[t].port, 100, 100))));
    const runs: Record<TargetName, StreamLoadResult[]> = { direct: [], floor: [], gateway: [] };
    const cpuUs: Record<TargetName, number> = { direct: 0, floor: 0, gateway: 0 };
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < TARGETS.length; i++) {
        const target = TARGETS[(round + stepIndex + i) % TARGETS.length]!;
        const label = `N=${n}, round ${round + 1} of ${rounds}, ${LABELS[target]}`;
        const before = await byTarget[target].usage();
        const run = await withProgress(label, () => load(byTarget[target].port, n));
        cpuUs[target] += (await byTarget[target].usage()).cpuUs - before.cpuUs;
        runs[target].push(run);
        progress(`  ${describeRun(label, run)}`);
      }
    }
    const summary = async (target: TargetName): Promise<StreamSummary> =>
      summarizeStreams(runs[target], { cpuUs: cpuUs[target], peakRssBytes: (await byTarget[target].usage()).maxRssBytes }, chunks);
    const step: StepSummaries = { n, direct: await summary('direct'), floor: await summary('floor'), gateway: await summary('gateway') };
    const metrics = await (await fetch(`${servers.gateway.url}/metrics`)).text();
    const notes = [...servers.gateway.notes, `gateway log (access log when on): ${servers.logFile}`];
    return { step, queued: metrics.includes('# TYPE nexus_upstream_queued '), notes };
  } finally {
    await stopServers(servers);
  }
}

async function runBenchmark(): Promise<void> {
  console.log(`\nMachine: ${describeMachine()} (shared with other work: expect noise; compare same-run ratios)`);
  console.log(`Streams: ${chunks} chunks each, one every ${intervalMs} ms; requests spread evenly over ${rampMs} ms; ${rounds} round(s) per target and N, order rotated.`);
  console.log(`Steps: N = ${steps.join(', ')}${values['all-steps'] ? ' (all)' : ', stopping after the first N where the gateway misses a target'}; --workers ${workers}.`);
  const results: StepSummaries[] = [];
  let largest: number | null = null;
  let queued = false;
  for (let i = 0; i < steps.length; i++) {
    const measured = await measureStep(steps[i]!, i);
    if (i === 0) printNotes(measured.notes, steps[0]!);
    results.push(measured.step);
    queued = measured.queued;
    const rows = checkStreamTargets(measured.step);
    const holds = rows.every((r) => r.ok);
    progress(`N=${steps[i]}: targets ${holds ? 'hold' : `MISSED: ${rows.filter((r) => !r.ok).map((r) => r.check).join('; ')}`}`);
    if (holds) largest = steps[i]!;
    if (!holds && !values['all-steps']) break;
  }
  printStepTable(results, LABELS);
  const first = results[0]!;
  printTargets([...checkStreamTargets(first), checkQueueGauge(queued)], `Targets at ${first.n} streams (issue 13)`);
  for (const step of results.slice(1)) printTargets(checkStreamTargets(step), `Targets at ${step.n} streams`);
  console.log(`\nLargest N at which every stream target holds: ${largest ?? 'none of the measured steps'}.`);
}

async function runProfile(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const n = steps[0] ?? 1000;
  const servers = await startServers(n, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  try {
    const run = await withProgress(`profiling the gateway: ${n} streams`, () => load(servers.gateway.port, n));
    const s = summarizeStreams([run], { cpuUs: 0, peakRssBytes: 0 }, chunks);
    console.log(`${describeRun(`gateway, ${n} streams`, run)}; TTFT p50 ${s.ttftP50Ms.toFixed(1)} ms, p99 ${s.ttftP99Ms.toFixed(1)} ms; most streams at once ${s.peakConcurrent}`);
  } finally {
    await stopServers(servers);
  }
  printProfile(dir);
}

if (values.profile !== undefined) await runProfile(resolve(values.profile));
else await runBenchmark();
