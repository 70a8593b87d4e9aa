#!/usr/bin/env node
// `npm test` after the build: runs every compiled test file under c8, then enforces the coverage gate.
// Node 20's `node --test` takes no globs, so the test files are listed here explicitly.

import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const testRoot = join(root, 'dist', 'test');

function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (entry.endsWith('.test.js')) found.push(relative(root, path));
  }
  return found;
}

const only = process.argv.slice(2);
const files = findTests(testRoot).filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error('no test files found under dist/test (did the build run?)');
  process.exit(1);
}

const c8 = join(root, 'node_modules', '.bin', 'c8');
function run(args) {
  const result = spawnSync(c8, args, { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

const testStatus = run([
  '--reporter=text-summary',
  '--reporter=lcov',
  // c8 filters on the compiled paths, before source maps turn them back into src/*.ts.
  '--include=dist/src/**',
  'node',
  '--expose-gc',
  '--test',
  '--test-reporter=spec',
  '--test-concurrency=1',
  ...files,
]);
if (testStatus !== 0) process.exit(testStatus);

// The metrics library is the product's core: its line coverage may not drop below 95%.
const gateStatus = run(['check-coverage', '--lines=95', '--include=dist/src/metrics/**']);
process.exit(gateStatus);
