// The /metrics scenario of the gateway benchmark: open-loop traffic at half the gateway's capacity,
// in alternating phases without and with a scraper process fetching /metrics ten times a second.

import { runLoad, runPacedLoad, type LoadResult, type PacedLoadResult } from '../client/load-generator.js';
import { BenchProcess } from '../processes/bench-process.js';
import { progress } from '../report/progress.js';
import { chatRequests } from './bench-fleet.js';
import { summarize, type LatencySummary } from './latency-summary.js';

/** What the scrape scenario measured. */
export interface ScrapeResult {
  ratePerSecond: number;
  maxBacklog: number;
  plain: LatencySummary;
  gzip: LatencySummary;
  withScrapes: LatencySummary;
  withoutScrapes: LatencySummary;
}

/**
 * First the capacity of the gateway (closed loop, 16 connections, JSON and streaming mixed); then
 * steady load at half of it, without and with scrapes, alternating plain and gzip. Half of capacity
 * is busy yet unsaturated, so latencies show what a scrape costs rather than the queue in front of it.
 */
export async function measureScrapes(port: number, roundMs: number, rounds: number): Promise<ScrapeResult> {
  const mixed = [...chatRequests(false), ...chatRequests(true)];
  progress('/metrics under load: measuring capacity');
  const capacity = summarize([await runLoad({ port, requests: mixed, concurrency: 16, durationMs: roundMs })]).requestsPerSecond;
  const ratePerSecond = Math.round(capacity / 2);
  const paced = { port, requests: mixed, ratePerSecond, connections: 64, durationMs: roundMs };
  const scraper = await BenchProcess.spawn({ role: 'scraper', port });
  const without: PacedLoadResult[] = [];
  const withScrapes: PacedLoadResult[] = [];
  const plain: number[] = [];
  const gzip: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      progress(`/metrics under load (${ratePerSecond} req/s): round ${round + 1} of ${rounds}`);
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
