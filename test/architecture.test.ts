// The architecture as a test: folders of src/ are layers, no file or folder import cycles (type
// imports included), no import up the layer order, and the metrics library imports nothing else.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import test from 'node:test';
import { PROJECT_ROOT } from './support/project-root.js';

const SRC = join(PROJECT_ROOT, 'src');

// Layer of each folder (and top-level file) of src/, bottom first: an import must go to a strictly
// lower layer or stay inside its own folder. Gaps leave room; a new folder must be placed here.
const LAYERS: Record<string, number> = {
  metrics: 0,
  errors: 0,
  simulator: 0,
  'version.ts': 0,
  http: 10,
  config: 10,
  logging: 20,
  fleet: 20,
  health: 30,
  routing: 30,
  proxy: 40,
  auth: 45,
  server: 50,
  dashboard: 50,
  gateway: 60,
  cluster: 70,
  demo: 80,
  'cli.ts': 90,
  'index.ts': 90,
};

// Static imports and re-exports (`import type` included) and dynamic `import('...')`.
const IMPORT_PATTERN = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

function listSources(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...listSources(path));
    else if (entry.endsWith('.ts')) files.push(path);
  }
  return files;
}

/** The src-relative files each src file imports (relative specifiers only; node: and packages are outside). */
function readImportGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of listSources(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets: string[] = [];
    for (const match of text.matchAll(IMPORT_PATTERN)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? '';
      if (!specifier.startsWith('.')) continue;
      targets.push(relative(SRC, resolve(dirname(file), specifier.replace(/\.js$/, '.ts'))));
    }
    graph.set(relative(SRC, file), targets);
  }
  return graph;
}

function unitOf(file: string): string {
  const slash = file.indexOf('/');
  return slash === -1 ? file : file.slice(0, slash);
}

/** Every cycle found by a depth-first search, each as the path that closes it. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'active');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'active') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

const graph = readImportGraph();

test('every folder and top-level file of src/ has a layer', () => {
  const unplaced = [...new Set([...graph.keys()].map(unitOf))].filter((unit) => !Object.hasOwn(LAYERS, unit));
  assert.deepEqual(unplaced, [], 'place new folders in LAYERS (and in the README Architecture section)');
});

test('every import resolves to a file of src/', () => {
  const missing: string[] = [];
  for (const [file, targets] of graph) for (const target of targets) if (!graph.has(target)) missing.push(`${file} -> ${target}`);
  assert.deepEqual(missing, []);
});

test('no file imports itself through a cycle, type imports included', () => {
  assert.deepEqual(findCycles(graph).map((cycle) => cycle.join(' -> ')), []);
});

test('no folder cycles, and every import between folders goes down the layer order', () => {
  const upward: string[] = [];
  const folders = new Map<string, string[]>();
  for (const [file, targets] of graph) {
    const from = unitOf(file);
    for (const target of targets) {
      const to = unitOf(target);
      if (from === to) continue;
      if (!folders.has(from)) folders.set(from, []);
      folders.get(from)?.push(to);
      if (!((LAYERS[to] ?? Infinity) < (LAYERS[from] ?? -Infinity))) upward.push(`${file} -> ${target}`);
    }
  }
  assert.deepEqual(upward, []);
  assert.deepEqual(findCycles(folders).map((cycle) => cycle.join(' -> ')), []);
});

test('src/metrics imports nothing else from src/', () => {
  const outside: string[] = [];
  for (const [file, targets] of graph) {
    if (unitOf(file) !== 'metrics') continue;
    for (const target of targets) if (unitOf(target) !== 'metrics') outside.push(`${file} -> ${target}`);
  }
  assert.deepEqual(outside, []);
});

test('the checker itself sees cycles and upward imports', () => {
  const cyclic = new Map([['a/x.ts', ['b/y.ts']], ['b/y.ts', ['a/x.ts']]]);
  assert.equal(findCycles(cyclic).length, 1);
  assert.ok(graph.get('gateway/gateway-routes.ts')?.includes('proxy/chat-proxy.ts'), 'the import reader finds a known import');
  assert.ok([...graph.values()].flat().some((t) => t.startsWith('errors/')), 'type and value imports are both read');
});

test('no file of src/ is longer than 250 lines', () => {
  const long = listSources(SRC)
    .map((file) => ({ file: relative(SRC, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
    .filter((entry) => entry.lines > 250);
  assert.deepEqual(long, []);
});
