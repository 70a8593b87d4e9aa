// Reads a V8 `.cpuprofile` (written by `node --cpu-prof`) and lists where the time went: self time
// per function, and the share of each source area (our src/ folders, node internals, GC, idle).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time of one function or area. */
export interface ProfileRow {
  name: string;
  ms: number;
  share: number;
}

/** Where a function lives: `src/<folder>`, `node:<module>`, or a V8 pseudo-frame such as (garbage collector). */
function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const src = /\/dist\/(src\/[^/]+|bench\/[^/]+)/.exec(url);
  if (src !== null) return src[1]!.replace(/\.js$/, '');
  const internal = /^node:(internal\/)?([^/]+)/.exec(url);
  if (internal !== null) return `node:${internal[2]}`;
  return url;
}

/** Self time per function and per area, largest first. */
export function summarizeProfile(path: string, top = 20): { functions: ProfileRow[]; areas: ProfileRow[]; totalMs: number } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    const us = profile.timeDeltas[i] ?? 0;
    if (node === undefined) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*\/dist\//, '').replace(/^file:\/\//, '');
    const key = url === '' ? functionName : `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const rows = (map: Map<string, number>, limit: number): ProfileRow[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, ms: us / 1000, share: totalUs === 0 ? 0 : us / totalUs }));
  return { functions: rows(functions, top), areas: rows(areas, top), totalMs: totalUs / 1000 };
}

/** The newest `.cpuprofile` in `dir` (what `--cpu-prof-dir` wrote last). */
export function newestProfile(dir: string): string {
  const newest = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (newest === undefined) throw new Error(`no .cpuprofile written to ${dir}`);
  return newest;
}

/** Prints self time by area and by function of the newest profile in `dir`, as Markdown tables. */
export function printProfile(dir: string, top = 30): void {
  const path = newestProfile(dir);
  const summary = summarizeProfile(path, top);
  console.log(`\nProfile ${path}: ${summary.totalMs.toFixed(0)} ms sampled\n`);
  console.log('| area | self ms | share |\n|---|---:|---:|');
  for (const row of summary.areas) console.log(`| ${row.name} | ${row.ms.toFixed(0)} | ${(row.share * 100).toFixed(1)}% |`);
  console.log('\n| function | self ms | share |\n|---|---:|---:|');
  for (const row of summary.functions) console.log(`| ${row.name} | ${row.ms.toFixed(0)} | ${(row.share * 100).toFixed(1)}% |`);
}
