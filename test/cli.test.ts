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
    const backends = await runCli(['backends', '--url', harness.url]);
    assert.equal(backends.code, 0);
    assert.match(backends.out, /ollama-a\s+ollama\s+healthy/);
    const health = await runCli(['health', '--url', harness.url, '--json']);
    assert.equal(JSON.parse(health.out).status, 'healthy');
    const models = await runCli(['models', '--url', harness.url]);
    assert.match(models.out, /llama3:8b/);
  } finally {
    await harness.close();
    await sim.stop();
  }
});

test('nexus health exits 0 healthy or degraded, 1 unhealthy, 2 when no gateway answers; backends shows ejection fields', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const harness = await startGateway(testConfig([backendEntry('gpu-1', sim)], (c) => (c.health_check.failure_threshold = 1)));
  try {
    assert.equal((await runCli(['health', '--url', harness.url])).code, 0);
    const backends = await runCli(['backends', '--url', harness.url]);
    assert.match(backends.out, /FAILED_IN_A_ROW\s+EJECTED_UNTIL\s+LAST_ERROR/);
    assert.match(backends.out, /gpu-1\s+vllm\s+healthy\s+50\s+0\s+[\d.]+\s+0\s+-\s+-\s+m/);
    await sim.stop();
    await harness.gateway.health.checkAll();
    const down = await runCli(['health', '--url', harness.url]);
    assert.equal(down.code, 1);
    assert.match(down.out, /status: unhealthy/);
    assert.equal((await runCli(['health', '--url', harness.url, '--json'])).code, 1);
    await harness.close();
    assert.equal((await runCli(['health', '--url', harness.url])).code, 2);
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

// The CLI as a child process with a chosen environment (never the runner's NEXUS_API_KEY).
function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  const base = { ...process.env };
  delete base.NEXUS_API_KEY;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...base, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

test('backends and health send --api-key or NEXUS_API_KEY to a gateway with access control on', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const config = testConfig([backendEntry('gpu-1', sim)], (c) => (c.auth.keys = [{ name: 'ops', api_key_env: 'OPS_KEY', scopes: ['admin'] }]));
  const harness = await startGateway(config, { OPS_KEY: 'sk-ops-cli' });
  try {
    const withFlag = await runCli(['backends', '--url', harness.url, '--api-key', 'sk-ops-cli']);
    assert.equal(withFlag.code, 0, withFlag.err);
    assert.match(withFlag.out, /gpu-1\s+vllm\s+healthy/);
    const withEnv = await runCli(['backends', '--url', harness.url], { NEXUS_API_KEY: 'sk-ops-cli' });
    assert.equal(withEnv.code, 0, withEnv.err);
    assert.match(withEnv.out, /gpu-1\s+vllm\s+healthy/);
    assert.equal((await runCli(['health', '--url', harness.url, '--api-key', 'sk-ops-cli'])).code, 0);
    assert.equal((await runCli(['health', '--url', harness.url], { NEXUS_API_KEY: 'sk-ops-cli' })).code, 0);
    // /health is open by SPEC 8 (liveness), so only the admin route refuses a missing key.
    const without = await runCli(['backends', '--url', harness.url]);
    assert.equal(without.code, 2);
    assert.equal(without.err.trim().split('\n').length, 1, without.err);
    assert.match(without.err, /^nexus: .*401.*--api-key.*NEXUS_API_KEY/);
    const wrong = await runCli(['backends', '--url', harness.url, '--api-key', 'sk-wrong']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /401.*--api-key/);
    assert.doesNotMatch(wrong.err, /sk-wrong/);
  } finally {
    await harness.close();
    await sim.stop();
  }
});

test('a key without the scope is a clear 403 line naming the scope problem', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const config = testConfig([backendEntry('gpu-1', sim)], (c) => (c.auth.keys = [{ name: 'chatter', api_key_env: 'CHAT_KEY', scopes: ['chat'] }]));
  const harness = await startGateway(config, { CHAT_KEY: 'sk-chat-cli' });
  try {
    const result = await runCli(['backends', '--url', harness.url, '--api-key', 'sk-chat-cli']);
    assert.equal(result.code, 2);
    assert.match(result.err, /^nexus: .*403.*admin/);
  } finally {
    await harness.close();
    await sim.stop();
  }
});

test('nexus health exits 0 on degraded: two backends, one down', async () => {
  const up = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const down = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const harness = await startGateway(testConfig([backendEntry('gpu-1', up), backendEntry('gpu-2', down)], (c) => (c.health_check.failure_threshold = 1)));
  try {
    await down.stop();
    await harness.gateway.health.checkAll();
    const result = await runCli(['health', '--url', harness.url]);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /status: degraded/);
    assert.match(result.out, /backends: 1\/2 healthy/);
    const json = await runCli(['health', '--url', harness.url, '--json']);
    assert.equal(json.code, 0);
    assert.equal(JSON.parse(json.out).status, 'degraded');
  } finally {
    await harness.close();
    await up.stop();
    await down.stop();
  }
});
