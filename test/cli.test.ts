import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from './support/project-root.js';
import { validateConfig } from '../src/index.js';
import { SimulatedBackend } from '../src/simulator/simulated-backend.js';
import { backendEntry, startGateway, testConfig } from './support/gateway-harness.js';
import { spawn } from 'node:child_process';

const CLI = projectPath('dist/src/cli.js');

function nexus(args: string[], cwd = process.cwd()) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
}

test('--version prints the package version and --help the usage', () => {
  const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string };
  assert.equal(nexus(['--version']).stdout.trim(), pkg.version);
  assert.match(nexus(['--help']).stdout, /nexus serve/);
});

test('config init writes a valid example and refuses to overwrite without --force', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-cli-'));
  try {
    assert.equal(nexus(['config', 'init'], dir).status, 0);
    const written = JSON.parse(readFileSync(join(dir, 'nexus.json'), 'utf8'));
    assert.deepEqual(validateConfig(written, 'nexus.json').warnings, []);
    const again = nexus(['config', 'init'], dir);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /already exists/);
    assert.equal(nexus(['config', 'init', '--force'], dir).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing config file is one clear line on stderr and a non-zero exit', () => {
  const result = nexus(['serve', '--config', '/nonexistent/nexus.json']);
  assert.equal(result.status, 2);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /\/nonexistent\/nexus\.json/);
});

test('backends and health query a running gateway', async () => {
  const sim = await SimulatedBackend.start({ type: 'ollama', models: ['llama3:8b'] });
  const harness = await startGateway(testConfig([backendEntry('ollama-a', sim)]));
  try {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, ...args]);
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('close', (code) => resolve({ code, out }));
      });
    const backends = await run(['backends', '--url', harness.url]);
    assert.equal(backends.code, 0);
    assert.match(backends.out, /ollama-a\s+ollama\s+healthy/);
    const health = await run(['health', '--url', harness.url, '--json']);
    assert.equal(JSON.parse(health.out).status, 'healthy');
    const models = await run(['models', '--url', harness.url]);
    assert.match(models.out, /llama3:8b/);
  } finally {
    await harness.close();
    await sim.stop();
  }
});

test('nexus health exits 0 healthy or degraded, 1 unhealthy, 2 when no gateway answers; backends shows ejection fields', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const harness = await startGateway(testConfig([backendEntry('gpu-1', sim)], (c) => (c.health_check.failure_threshold = 1)));
  const run = (args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args]);
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('close', (code) => resolve({ code, out }));
    });
  try {
    assert.equal((await run(['health', '--url', harness.url])).code, 0);
    const backends = await run(['backends', '--url', harness.url]);
    assert.match(backends.out, /FAILED_IN_A_ROW\s+EJECTED_UNTIL\s+LAST_ERROR/);
    assert.match(backends.out, /gpu-1\s+vllm\s+healthy\s+50\s+0\s+[\d.]+\s+0\s+-\s+-\s+m/);
    await sim.stop();
    await harness.gateway.health.checkAll();
    const down = await run(['health', '--url', harness.url]);
    assert.equal(down.code, 1);
    assert.match(down.out, /status: unhealthy/);
    assert.equal((await run(['health', '--url', harness.url, '--json'])).code, 1);
    await harness.close();
    assert.equal((await run(['health', '--url', harness.url])).code, 2);
  } finally {
    await harness.close();
    await sim.stop();
  }
});

test('serve starts with --backend flags and stops cleanly on SIGTERM', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  try {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--backend', `v=${sim.url}@vllm`], { env: { ...process.env, NEXUS_LOG_LEVEL: 'info' } });
    let err = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        err += d;
        if (err.includes('nexus listening')) resolve();
      });
      child.on('close', () => reject(new Error('exited early: ' + err)));
    });
    const code = await new Promise<number | null>((resolve) => {
      child.removeAllListeners('close');
      child.on('close', resolve);
      child.kill('SIGTERM');
    });
    assert.equal(code, 0);
    assert.match(err, /shutting down/);
  } finally {
    await sim.stop();
  }
});
