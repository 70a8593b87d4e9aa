// How the load benchmarks print: the machine header, Markdown tables, and the targets table with
// each check's measured value and "meets" or "MISSES", in one format for every bench.

import { cpus, totalmem } from 'node:os';

/** One target check. */
export interface TargetRow {
  check: string;
  measured: string;
  target: string;
  ok: boolean;
}

/** Milliseconds with three decimals. */
export function formatMs(value: number): string {
  return `${value.toFixed(3)} ms`;
}

/** A ratio as `x1.23`. */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `x${value.toFixed(2)}` : 'n/a';
}

/** Describes the machine: cores, CPU model, memory, Node version. */
export function describeMachine(): string {
  const cpu = cpus();
  return `${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node.js ${process.version}, ${process.platform}`;
}

/** Prints a Markdown table under a heading; `right` marks columns aligned right (numbers). */
export function printTable(title: string, headers: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[] = []): void {
  console.log(`\n### ${title}\n`);
  console.log(`| ${headers.join(' | ')} |`);
  console.log(`|${headers.map((_, i) => (right[i] ? '---:' : '---')).join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

/** Prints the targets table; returns how many were missed. */
export function printTargets(rows: readonly TargetRow[], title = 'Targets'): number {
  printTable(
    title,
    ['check', 'measured', 'target', 'result'],
    rows.map((r) => [r.check, r.measured, r.target, r.ok ? 'meets' : 'MISSES']),
    [false, true, true, false],
  );
  return rows.filter((r) => !r.ok).length;
}
