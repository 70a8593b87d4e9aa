// Shared tinybench harness: runs tasks that each perform a batch of calls, and prints ns per call
// beside the target, so the harness's own per-call overhead (~50 ns) does not hide tiny operations.

import { Bench } from 'tinybench';

/** One benchmark task: `run` performs `batch` operations per call. */
export interface BatchTask {
  name: string;
  batch: number;
  run: () => void;
  /** Target in nanoseconds per operation, if there is one. */
  targetNs?: number;
}

/** One measured row. */
export interface BatchResult {
  name: string;
  nsPerOp: number;
  targetNs: number | undefined;
  ok: boolean;
}

/** Runs the tasks and returns ns per operation (median of samples / batch). */
export async function runBatches(title: string, tasks: readonly BatchTask[], timeMs = 500): Promise<BatchResult[]> {
  const bench = new Bench({ name: title, time: timeMs, warmupTime: 200 });
  for (const task of tasks) bench.add(task.name, task.run);
  await bench.run();
  const results: BatchResult[] = [];
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i]!;
    const result = bench.tasks[i]!.result;
    if (result.state !== 'completed') throw new Error(`benchmark ${task.name} did not complete: ${result.state}`);
    const nsPerOp = (result.latency.p50 * 1e6) / task.batch;
    results.push({ name: task.name, nsPerOp, targetNs: task.targetNs, ok: task.targetNs === undefined || nsPerOp <= task.targetNs });
  }
  return results;
}

/** Formats a duration in ns with a unit that keeps it readable. */
export function formatNs(ns: number): string {
  if (ns >= 1e6) return (ns / 1e6).toFixed(3) + ' ms';
  if (ns >= 1e3) return (ns / 1e3).toFixed(2) + ' us';
  return ns.toFixed(1) + ' ns';
}

/** Prints results as a Markdown table (pastes straight into the README). */
export function printTable(title: string, results: readonly BatchResult[]): void {
  console.log(`\n### ${title}\n`);
  console.log('| operation | time per op | target | result |');
  console.log('|---|---:|---:|---|');
  for (const r of results) {
    const target = r.targetNs === undefined ? '-' : '<= ' + formatNs(r.targetNs);
    const verdict = r.targetNs === undefined ? 'reference' : r.ok ? 'meets' : 'MISSES';
    console.log(`| ${r.name} | ${formatNs(r.nsPerOp)} | ${target} | ${verdict} |`);
  }
}
