// `nexus demo`: a simulated fleet, a gateway in front of it and steady traffic, with a live summary
// every few seconds computed from the gateway's own /metrics, as an operator's dashboard would.

import { DEMO_ALIASES, DEMO_FALLBACKS, startDemoFleet } from './demo-fleet.js';
import { DemoTraffic } from './demo-traffic.js';
import { subtractSnapshots, quantileFromBuckets, readSnapshot, type MetricsSnapshot } from './metrics-snapshot.js';

/** Options of the demo. */
export interface DemoOptions {
  host: string;
  port: number;
  /** Time between summary lines, ms. */
  summaryIntervalMs: number;
  /** Where lines go (stdout by default). */
  write?: (line: string) => void;
}

/** A running demo. */
export interface Demo {
  url: string;
  /** Stops traffic, prints the totals, stops the gateway and the backends. */
  stop(): Promise<void>;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}

function formatCounts(counts: ReadonlyMap<string, number>): string {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
}

/** One summary line for the change between two scrapes. */
export function formatSummaryLine(delta: MetricsSnapshot, seconds: number, at: Date): string {
  const time = at.toISOString().slice(11, 19);
  const errors = `${delta.errors} ${delta.errors === 1 ? 'error' : 'errors'}${delta.errors === 0 ? '' : ` (${formatCounts(delta.errorsByType)})`}`;
  return (
    `[${time}] last ${seconds >= 1 ? seconds.toFixed(0) : seconds.toFixed(1)} s: ${delta.requests} requests, ${errors}, ${delta.fallbacks} fallbacks, ` +
    `p95 ${formatSeconds(quantileFromBuckets(delta.durationBuckets, 0.95))} | by backend: ${formatCounts(delta.requestsByBackend) || '-'} | ` +
    `pending ${delta.pending}, backends ${delta.backendsHealthy}/${delta.backendsTotal} healthy | attempts: ${formatAttempts(delta)}`
  );
}

/** Per backend: attempts, failed ones, and whether it is ejected now, e.g. `ollama_flaky 12 (3 failed, EJECTED)`. */
export function formatAttempts(delta: MetricsSnapshot): string {
  const backends = new Set([...delta.attemptsByBackend.keys(), ...delta.ejected]);
  const parts: string[] = [];
  for (const backend of [...backends].sort()) {
    const notes: string[] = [];
    const failed = delta.failuresByBackend.get(backend) ?? 0;
    if (failed > 0) notes.push(`${failed} failed`);
    if (delta.ejected.has(backend)) notes.push('EJECTED');
    parts.push(`${backend} ${delta.attemptsByBackend.get(backend) ?? 0}${notes.length === 0 ? '' : ` (${notes.join(', ')})`}`);
  }
  return parts.join(', ') || '-';
}

async function scrape(url: string): Promise<MetricsSnapshot> {
  const response = await fetch(`${url}/metrics`);
  return readSnapshot(await response.text());
}

/** Starts the demo and prints where to look. */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const fleet = await startDemoFleet(options.host, options.port);
  const { url } = fleet;
  write(`Nexus demo: the gateway at ${url} in front of ${fleet.backends.length} simulated backends`);
  for (const { spec, sim } of fleet.backends) {
    const flaky = sim.mode === 'flapping' ? `, fails in runs of ${sim.flapRun} with 500 (gets ejected, comes back)` : '';
    write(`  ${spec.name.padEnd(13)} ${sim.type.padEnd(7)} ${sim.url}  ~${sim.latencyMs} ms${flaky}  models: ${sim.models.join(', ')}`);
  }
  write(`  aliases: ${Object.entries(DEMO_ALIASES).map(([a, m]) => `${a} -> ${m}`).join(', ')}`);
  write(`  fallback chain: ${Object.entries(DEMO_FALLBACKS).map(([m, chain]) => [m, ...chain].join(' -> ')).join('; ')}`);
  write('Look here while it runs:');
  write(`  ${url}/             the live dashboard`);
  write(`  ${url}/metrics      Prometheus metrics`);
  write(`  ${url}/v1/stats     JSON statistics`);
  write(`  ${url}/v1/models    models on healthy backends`);
  write(`  curl ${url}/v1/chat/completions -H 'content-type: application/json' -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}'`);
  write(`Sending steady JSON and streaming traffic; a summary every ${(options.summaryIntervalMs / 1000).toFixed(1).replace(/\.0$/, '')} s. Ctrl-C stops.`);

  const traffic = new DemoTraffic(url);
  let previous = await scrape(url);
  let previousAt = performance.now();
  let summarizing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    summarizing = (async () => {
      const now = await scrape(url);
      const at = performance.now();
      write(formatSummaryLine(subtractSnapshots(now, previous), (at - previousAt) / 1000, new Date()));
      previous = now;
      previousAt = at;
    })().catch((error: unknown) => write(`summary failed: ${String(error)}`));
  }, options.summaryIntervalMs);

  let stopped: Promise<void> | null = null;
  return {
    url,
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        await summarizing;
        await traffic.stop();
        const total = await scrape(url);
        const p95 = formatSeconds(quantileFromBuckets(total.durationBuckets, 0.95));
        write(`Stopped. In total: ${total.requests} requests, ${total.errors} errors, ${total.fallbacks} fallbacks, p95 ${p95}, pending ${total.pending}.`);
        await fleet.stop();
      })();
      return stopped;
    },
  };
}
