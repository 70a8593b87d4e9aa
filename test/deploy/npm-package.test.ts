// `npm pack` of a fresh checkout (no dist/: the `prepack` script builds it) ships dist/src, and
// `npm i -g` of that tarball, offline (zero runtime dependencies), gives a `nexus` on PATH that serves.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { accessSync, constants, cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../support/prometheus-server.js';
import { projectPath } from '../support/project-root.js';
import { hasTool, missingToolReason } from '../support/system-tools.js';

const skip = hasTool('npm') ? false : missingToolReason('npm', 'npm');
const VERSION = (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string }).version;

let dir = '';
let packedFiles: string[] = [];
let prefix = '';

/** The environment without the parent npm's lifecycle variables, Nexus settings or c8's coverage directory (which would make every child process write its coverage). */
function buildCleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|NEXUS_|NODE_V8_COVERAGE$)/i.test(key)));
}

/** Runs npm; fails the test with npm's output when it does not exit 0. */
function runNpm(cwd: string, args: string[]): SpawnSyncReturns<string> {
  const result = spawnSync('npm', [...args, '--cache', join(dir, 'npm-cache'), '--no-audit', '--no-fund', '--no-update-notifier'], { cwd, env: buildCleanEnv(), encoding: 'utf8' });
  assert.equal(result.status, 0, `npm ${args.join(' ')}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** What the Dockerfile's build stage copies from the checkout: the sources a fresh clone has, no dist/. */
function listBuildSources(): string[] {
  const dockerfile = readFileSync(projectPath('Dockerfile'), 'utf8');
  return [...dockerfile.matchAll(/^COPY (?!--)(.+) \S+$/gm)].flatMap((m) => (m[1] as string).split(' '));
}

before(() => {
  if (skip !== false) return;
  dir = mkdtempSync(join(tmpdir(), 'nexus-pack-'));
  const checkout = join(dir, 'checkout');
  mkdirSync(checkout);
  for (const source of listBuildSources()) cpSync(projectPath(source), join(checkout, source), { recursive: true });
  // The build needs the dev dependencies (tsc); a clone has them after `npm ci`.
  symlinkSync(projectPath('node_modules'), join(checkout, 'node_modules'), 'dir');
  const packed = runNpm(checkout, ['pack', '--json', '--pack-destination', dir]);
  const [manifest] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  assert.ok(manifest !== undefined);
  packedFiles = manifest.files.map((f) => f.path);
  prefix = join(dir, 'prefix');
  runNpm(dir, ['install', '--global', '--offline', '--prefix', prefix, join(dir, manifest.filename)]);
});

after(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

test('the tarball of a checkout without dist/ ships the built CLI, library, types and dashboard page', { skip }, () => {
  for (const file of ['package.json', 'dist/src/cli.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/metrics/index.js', 'src/dashboard/page/index.html']) {
    assert.ok(packedFiles.includes(file), `${file} missing from ${packedFiles.length} files`);
  }
});

test('the tarball ships nothing but the build output, the dashboard page and the package metadata', { skip }, () => {
  const stray = packedFiles.filter((f) => !/^(dist\/src\/.+\.(js|d\.ts)|src\/dashboard\/page\/.+|package\.json|README\.md|LICENSE)$/.test(f));
  assert.deepEqual(stray, []);
});

test('npm i -g puts an executable `nexus` on PATH that prints the package version', { skip }, () => {
  const bin = join(prefix, 'bin', 'nexus');
  accessSync(bin, constants.X_OK);
  assert.equal(readFileSync(realpathSync(bin), 'utf8').split('\n')[0], '#!/usr/bin/env node');
  // Run through the shebang, as a shell would, not through `node` explicitly.
  const result = spawnSync(bin, ['--version'], { env: buildCleanEnv(), encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), VERSION);
});

test('the installed `nexus serve` answers /health, the dashboard and /metrics and exits 0 on SIGTERM', { skip }, async () => {
  const deadPort = await findFreePort();
  const child = spawn(join(prefix, 'bin', 'nexus'), ['serve', '--host', '127.0.0.1', '--port', '0', '--backend', `down=http://127.0.0.1:${deadPort}`], { cwd: dir, env: buildCleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let log = '';
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString('utf8');
        const listening = /"msg":"nexus listening","url":"([^"]+)"/.exec(log);
        if (listening !== null) resolve(listening[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`nexus exited with ${code}\n${log}`)));
    });
    assert.equal((await fetch(`${url}/health`)).status, 200);
    // The dashboard's assets are read from the installed package's src/dashboard/page/.
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal((await fetch(`${url}/dashboard/dashboard.js`)).status, 200);
    const metrics = await fetch(`${url}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /^nexus_build_info\{version="[^"]+"\} 1$/m);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
