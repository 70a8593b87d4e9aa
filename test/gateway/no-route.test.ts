// SPEC 2.1 when no backend can take a request: 503 with Retry-After while a model may come back (a
// down backend served it, or a backend never answered a probe), 404 otherwise; messages name the
// down backends and their error class, never URLs. Plus /ready, /v1/backends and the warn log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { Gateway } from '../../src/gateway/gateway.js';
import { createLogger } from '../../src/logging/logger.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { backendEntry, chat, chatBody, startGateway, testConfig } from '../support/gateway-harness.js';

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

test('while Ollama is not running, a request gets 503 naming it and its error class, with Retry-After', async () => {
  const url = await closedPortUrl();
  const harness = await startGateway(testConfig([{ name: 'local-ollama', url, type: 'ollama', priority: 50 }], (c) => (c.health_check.interval_seconds = 30)));
  try {
    const res = await chat(harness.url, chatBody('llama3'));
    assert.equal(res.status, 503);
    assert.equal(res.json().error.code, 'no_healthy_backend');
    assert.match(res.json().error.message, /local-ollama: ECONNREFUSED/);
    assert.doesNotMatch(res.text, /127\.0\.0\.1|http:/);
    const retryAfter = Number(res.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 30, `Retry-After ${retryAfter} is the time to the next health check`);
    const m = parsePrometheusText(await (await fetch(`${harness.url}/metrics`)).text());
    assert.equal(sampleValue(m, 'nexus_requests_total', { model: '_unknown', backend: 'none', status: '503' }), 1);
    assert.equal(sampleValue(m, 'nexus_backend_up', { backend: 'local_ollama' }), 0);
  } finally {
    await harness.close();
  }
});

test('a model a down backend served gets 503 naming it; a model nobody can have gets 404 that names it too', async () => {
  const up = await SimulatedBackend.start({ type: 'ollama', models: ['small'] });
  const going = await SimulatedBackend.start({ type: 'vllm', models: ['big'] });
  const harness = await startGateway(testConfig([backendEntry('up', up), backendEntry('gpu-2', going)], (c) => (c.health_check.failure_threshold = 1)));
  try {
    await going.stop();
    await harness.gateway.health.checkAll();
    const gone = await chat(harness.url, chatBody('big'));
    assert.equal(gone.status, 503);
    assert.equal(gone.json().error.message, 'No healthy backend serves model "big"; down: gpu-2: ECONNREFUSED');
    assert.ok(Number(gone.headers.get('retry-after')) >= 1);
    const unknown = await chat(harness.url, chatBody('never-heard-of'));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().error.code, 'model_not_found');
    assert.match(unknown.json().error.message, /down: gpu-2: ECONNREFUSED/);
  } finally {
    await harness.close();
    await up.stop();
  }
});

test('/ready is 200 with a healthy backend, 503 with none, and 503 once the gateway is draining', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const harness = await startGateway(testConfig([backendEntry('v', sim)], (c) => (c.health_check.failure_threshold = 1)));
  try {
    const ready = await fetch(`${harness.url}/ready`);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { status: string }).status, 'healthy');
    await sim.stop();
    await harness.gateway.health.checkAll();
    const notReady = await fetch(`${harness.url}/ready`);
    assert.equal(notReady.status, 503);
    assert.equal(((await notReady.json()) as { status: string }).status, 'unhealthy');
    assert.equal((await fetch(`${harness.url}/health`)).status, 200, '/health is liveness: the process answers');
    await sim.restart();
    await harness.gateway.health.checkAll();
    await harness.gateway.health.checkAll();
    assert.equal((await fetch(`${harness.url}/ready`)).status, 200);
    harness.gateway.beginDrain();
    assert.equal(harness.gateway.isDraining, true);
    assert.equal((await fetch(`${harness.url}/ready`)).status, 503);
  } finally {
    await harness.close();
    await sim.stop();
  }
});

test('an ejection shows in /v1/backends and is logged at warn with its reason, and so is the recovery', async () => {
  const flaky = await SimulatedBackend.start({ type: 'vllm', models: ['m'], mode: 'error500' });
  const good = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const lines: Record<string, unknown>[] = [];
  const config = testConfig([backendEntry('flaky', flaky, { priority: 1 }), backendEntry('good', good, { priority: 2 })], (c) => {
    c.routing.strategy = 'priority_only';
    c.routing.outlier = { consecutive_failures: 2, base_ejection_seconds: 0.2 };
  });
  const gateway = new Gateway(config, { logger: createLogger('warn', (line) => lines.push(JSON.parse(line))) });
  const { port } = await gateway.start();
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 2; i++) assert.equal((await chat(url, chatBody('m'))).status, 200);
    const entry = async () => ((await (await fetch(`${url}/v1/backends`)).json()) as { backends: Record<string, unknown>[] }).backends.find((b) => b.name === 'flaky')!;
    const ejected = await entry();
    assert.equal(ejected.consecutive_attempt_failures, 2);
    assert.ok(Date.parse(String(ejected.ejected_until)) > Date.now(), `ejected_until ${String(ejected.ejected_until)} is ahead`);
    const ejection = lines.find((l) => l.msg === 'backend ejected');
    assert.equal(ejection?.level, 'warn');
    assert.equal(ejection?.backend, 'flaky');
    assert.match(String(ejection?.reason), /2 failed attempts in a row \(last: HTTP 500\)/);
    assert.equal(lines.filter((l) => l.msg === 'upstream attempt failed').length, 2);
    const stats = (await (await fetch(`${url}/v1/stats`)).json()) as { backends: Record<string, unknown>[] };
    const flakyStats = stats.backends.find((b) => b.id === 'flaky')!;
    assert.equal(flakyStats.ejected_until, ejected.ejected_until);
    assert.deepEqual(flakyStats.attempts, { server_error: 2 });
    assert.deepEqual(stats.backends.find((b) => b.id === 'good')!.attempts, { success: 2 });

    await new Promise((resolve) => setTimeout(resolve, 250));
    flaky.mode = 'ok';
    const back = await chat(url, chatBody('m'));
    assert.equal(back.headers.get('x-nexus-backend'), 'flaky', 'after its ejection it gets traffic again');
    const recovered = await entry();
    assert.equal(recovered.ejected_until, null);
    assert.equal(recovered.consecutive_attempt_failures, 0);
    assert.equal(lines.find((l) => l.msg === 'backend recovered')?.backend, 'flaky');
    assert.doesNotMatch(JSON.stringify(lines), /127\.0\.0\.1/);
  } finally {
    await gateway.stop();
    await Promise.all([flaky.stop(), good.stop()]);
  }
});
