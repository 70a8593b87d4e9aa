import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Fleet } from '../../src/fleet/fleet.js';
import { HealthChecker } from '../../src/health/health-checker.js';
import { httpGetJson } from '../../src/health/probe-transport.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';

// Ports fetch (undici) refuses as "bad ports" (WHATWG fetch spec, port blocking).
const BAD_PORTS = [6000, 6665, 6666, 6667, 6668, 6669, 10080, 6697, 5060, 5061, 4045, 2049];

async function startOnBadPort(): Promise<SimulatedBackend> {
  for (const port of BAD_PORTS) {
    try {
      return await SimulatedBackend.start({ type: 'vllm', models: ['m'], port });
    } catch {
      // in use: try the next one
    }
  }
  throw new Error(`none of the ports ${BAD_PORTS.join(', ')} could be bound`);
}

async function startServer(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function checkerFor(fleet: Fleet, env: NodeJS.ProcessEnv = {}, timeoutMs = 1000): HealthChecker {
  return new HealthChecker(fleet, { intervalMs: 60_000, timeoutMs, failureThreshold: 1, recoveryThreshold: 1, env });
}

test('a backend on a port fetch refuses (6000, 6665-6669, 10080...) becomes healthy', async () => {
  const sim = await startOnBadPort();
  const fleet = new Fleet([{ name: 'odd-port', url: sim.url, type: 'vllm', priority: 1 }]);
  try {
    await checkerFor(fleet).checkAll();
    assert.equal(fleet.get('odd-port')!.status, 'healthy', fleet.get('odd-port')!.lastError ?? '');
    assert.deepEqual([...fleet.get('odd-port')!.models], ['m']);
  } finally {
    await sim.stop();
  }
});

test('last_error is only a class: ECONNREFUSED, timeout, HTTP 500', async () => {
  const failing = await startServer((_req, res) => res.writeHead(500).end('internal details: password=hunter2'));
  const hanging = await startServer(() => {});
  const closed = await startServer(() => {});
  await new Promise<void>((resolve) => closed.server.close(() => resolve()));
  const fleet = new Fleet([
    { name: 'failing', url: failing.url, type: 'vllm', priority: 1 },
    { name: 'hanging', url: hanging.url, type: 'ollama', priority: 1 },
    { name: 'refused', url: closed.url, type: 'llamacpp', priority: 1 },
  ]);
  try {
    await checkerFor(fleet, {}, 200).checkAll();
    assert.equal(fleet.get('failing')!.lastError, 'HTTP 500');
    assert.equal(fleet.get('hanging')!.lastError, 'timeout');
    assert.equal(fleet.get('refused')!.lastError, 'ECONNREFUSED');
  } finally {
    hanging.server.closeAllConnections();
    await Promise.all([new Promise((r) => failing.server.close(r)), new Promise((r) => hanging.server.close(r))]);
  }
});

test('an API key that is not a valid header value never reaches last_error', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const fleet = new Fleet([{ name: 'keyed', url: sim.url, type: 'vllm', priority: 1, api_key_env: 'KEY' }]);
  try {
    await checkerFor(fleet, { KEY: 'sk-top-secret\nX-Injected: 1' }).checkAll();
    const backend = fleet.get('keyed')!;
    assert.equal(backend.status, 'unhealthy');
    assert.equal(backend.lastError, 'ERR_INVALID_CHAR');
  } finally {
    await sim.stop();
  }
});

test('the transport resolves a non-JSON body with json undefined and refuses an oversized one', async () => {
  const { server, url } = await startServer((req, res) => {
    if (req.url === '/big') {
      res.writeHead(200);
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 5; i++) res.write(chunk);
      res.end();
    } else res.writeHead(200).end('not json');
  });
  try {
    const answer = await httpGetJson(`${url}/text`, {}, new AbortController().signal);
    assert.deepEqual(answer, { status: 200, json: undefined });
    await assert.rejects(httpGetJson(`${url}/big`, {}, new AbortController().signal), { code: 'answer too large' });
  } finally {
    await new Promise((r) => server.close(r));
  }
});
