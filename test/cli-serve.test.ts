// `nexus serve` as operators run it: start-up errors are one clear line, the first SIGTERM drains,
// a second exits at once, SIGHUP re-reads key files and does not kill the process.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SimulatedBackend } from '../src/simulator/simulated-backend.js';
import { projectPath } from './support/project-root.js';

const CLI = projectPath('dist/src/cli.js');

// Asynchronous, so the simulated backend in this process can answer the health checks meanwhile.
function serve(args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { env: { ...process.env, NEXUS_LOG_LEVEL: 'error' } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stderr })));
}

function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0] ?? '', /^nexus: /);
  assert.match(lines[0] ?? '', pattern);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

test('a port in use is one clear line and a non-zero exit', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  try {
    const port = (blocker.address() as AddressInfo).port;
    const result = await serve(['--port', String(port), '--backend', `v=${sim.url}@vllm`]);
    assert.notEqual(result.status, 0);
    assertOneLine(result.stderr, new RegExp(`127\\.0\\.0\\.1:${port}.*in use`));
  } finally {
    blocker.close();
    await sim.stop();
  }
});

test('a bad --host is one clear line naming it', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  try {
    const result = await serve(['--host', '999.1.1.1', '--port', '0', '--backend', `v=${sim.url}@vllm`]);
    assert.notEqual(result.status, 0);
    assertOneLine(result.stderr, /999\.1\.1\.1.*--host/);
  } finally {
    await sim.stop();
  }
});

test('--backend with user:password says credentials are not allowed, without the password', async () => {
  const result = await serve(['--backend', 'a=http://user:pw-s3cret@h:1']);
  assert.equal(result.status, 2);
  assertOneLine(result.stderr, /credentials .* not allowed/);
  assert.doesNotMatch(result.stderr, /pw-s3cret/);
});

async function startServe(sim: SimulatedBackend, drainSeconds: number): Promise<{ child: ChildProcessWithoutNullStreams; port: number; log: () => string }> {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-serve-'));
  const file = join(dir, 'nexus.json');
  writeFileSync(file, JSON.stringify({ server: { port: 0, shutdown_drain_seconds: drainSeconds }, backends: [{ name: 'v', url: sim.url, type: 'vllm' }] }));
  const served = await serveConfig(file);
  served.child.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return served;
}

// `nexus serve --config FILE` as a child process; resolves once it listens, with its port and log.
async function serveConfig(file: string): Promise<{ child: ChildProcessWithoutNullStreams; port: number; log: () => string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', file], { env: { ...process.env, NEXUS_LOG_LEVEL: 'info' } });
  let err = '';
  child.stdout.resume();
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const match = /"msg":"nexus listening","url":"http:\/\/[^"]*:(\d+)"/.exec(err);
      if (match !== null) resolve(Number(match[1]));
    });
    child.once('exit', () => reject(new Error('exited early: ' + err)));
  });
  return { child, port, log: () => err };
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, ms: performance.now() - started })));
}

test('a second SIGTERM during the drain exits at once; SIGHUP is logged and ignored', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  sim.mode = 'hang';
  const { child, port, log } = await startServe(sim, 30);
  try {
    child.kill('SIGHUP');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(child.exitCode, null, 'SIGHUP killed the process');
    assert.match(log(), /SIGHUP/);
    // A request that hangs keeps the drain going.
    const hanging = fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [] }) }).catch(() => null);
    while (sim.chatRequests === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const exited = exitOf(child);
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(child.exitCode, null, 'the first SIGTERM did not wait for the request');
    child.kill('SIGTERM');
    const { code, ms } = await exited;
    assert.notEqual(code, 0);
    assert.ok(ms < 2000, `exit took ${ms} ms`);
    assert.match(log(), /second signal/);
    await hanging;
  } finally {
    child.kill('SIGKILL');
    await sim.stop();
  }
});

test('SIGTERM with nothing in flight exits 0 at once, whatever the drain time', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const { child, port } = await startServe(sim, 30);
  try {
    // A kept-alive client must not hold the exit for the drain time.
    const keepAlive = net.connect(port, '127.0.0.1');
    keepAlive.on('error', () => {});
    keepAlive.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => keepAlive.once('data', resolve));
    const exited = exitOf(child);
    child.kill('SIGTERM');
    const { code, ms } = await exited;
    assert.equal(code, 0);
    assert.ok(ms < 3000, `exit took ${ms} ms`);
    keepAlive.destroy();
  } finally {
    child.kill('SIGKILL');
    await sim.stop();
  }
});

test('SIGHUP re-reads a rotated key file: the old key then gets 401, the new one 200', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const dir = mkdtempSync(join(tmpdir(), 'nexus-sighup-'));
  const keyFile = join(dir, 'ops.key');
  writeFileSync(keyFile, 'sk-old-key\n');
  const config = join(dir, 'nexus.json');
  writeFileSync(config, JSON.stringify({
    server: { port: 0 },
    backends: [{ name: 'v', url: sim.url, type: 'vllm' }],
    auth: { keys: [{ name: 'ops', key_file: keyFile, scopes: ['admin'] }] },
  }));
  const { child, port, log } = await serveConfig(config);
  try {
    const statusWith = async (key: string): Promise<number> => {
      const response = await fetch(`http://127.0.0.1:${port}/v1/backends`, { headers: { authorization: `Bearer ${key}` } });
      await response.text();
      return response.status;
    };
    assert.equal(await statusWith('sk-old-key'), 200);
    assert.equal(await statusWith('sk-new-key'), 401);
    writeFileSync(keyFile, 'sk-new-key\n');
    // Until the signal the file is not read again: the old key still works.
    assert.equal(await statusWith('sk-old-key'), 200);
    child.kill('SIGHUP');
    const until = Date.now() + 5000;
    while (!log().includes('API key files re-read')) {
      assert.ok(Date.now() < until, `no reload logged: ${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(await statusWith('sk-old-key'), 401);
    assert.equal(await statusWith('sk-new-key'), 200);
    assert.equal(child.exitCode, null, 'SIGHUP did not stop the process');
    assert.doesNotMatch(log(), /sk-(old|new)-key/, 'no key in the logs');
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    await sim.stop();
  }
});
