// Graceful shutdown (SPEC 2.2): stop accepting, idle sockets close, responses during the drain carry
// `Connection: close`, stop() resolves as soon as in-flight requests finish, and what still runs at
// the end of the drain is cut and recorded 503 `shutdown` (not 499).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { parsePrometheusText, sumSamples } from '../support/prometheus-text.js';
import { backendEntry, chat, chatBody, startGateway, testConfig, waitFor, type Harness } from '../support/gateway-harness.js';
import { closed, connect, readResponse } from '../support/raw-http.js';

async function gatewayWith(sim: SimulatedBackend, drainSeconds: number): Promise<Harness> {
  return startGateway(testConfig([backendEntry('sim', sim)], (c) => {
    c.server.shutdown_drain_seconds = drainSeconds;
  }));
}

function recorded(harness: Harness): ReturnType<typeof parsePrometheusText> {
  return parsePrometheusText(harness.gateway.instrumentation!.render().toString('utf8'));
}

test('stop() closes idle keep-alive sockets, answers in-flight requests with Connection: close, and resolves when they finish', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const harness = await gatewayWith(sim, 10);
  const port = Number(new URL(harness.url).port);
  try {
    // An idle kept-alive socket: one request answered, then nothing.
    const idle = await connect(port);
    idle.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal((await readResponse(idle)).headers.connection, 'keep-alive');
    // A slow chat request in flight on another socket, and a third socket midway through its headers.
    sim.latencyMs = 400;
    const busy = await connect(port);
    const body = JSON.stringify(chatBody('m'));
    busy.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    const busyAnswer = readResponse(busy);
    const late = await connect(port);
    late.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    await waitFor(() => harness.gateway.admission.inFlight === 1);

    const started = performance.now();
    const stopping = harness.gateway.stop();
    await closed(idle);
    assert.equal(harness.gateway.isDraining, true);
    // The half-sent request completes during the drain: served, with Connection: close.
    late.write('\r\n');
    const lateAnswer = await readResponse(late);
    assert.equal(lateAnswer.status, 200);
    assert.equal(lateAnswer.headers.connection, 'close');
    const answer = await busyAnswer;
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.connection, 'close');
    await stopping;
    // Resolved when the last request finished, not after the 10 s drain.
    assert.ok(performance.now() - started < 3000, `stop() took ${performance.now() - started} ms`);
    await Promise.all([closed(busy), closed(late)]);
    const metrics = recorded(harness);
    assert.equal(sumSamples(metrics, 'nexus_requests_total', { status: '200' }), 1);
    // Nothing listens any more.
    await assert.rejects(connect(port));
  } finally {
    sim.latencyMs = 0;
    await harness.close();
    await sim.stop();
  }
});

test('requests still running when the drain ends are cut and recorded 503 shutdown, not 499', async () => {
  const hang = await SimulatedBackend.start({ type: 'vllm', models: ['m', 'stream'] });
  hang.mode = 'hang';
  const streaming = await SimulatedBackend.start({ type: 'vllm', models: ['s'], chunkDelayMs: 200 });
  const harness = await startGateway(testConfig([backendEntry('hang', hang), backendEntry('streaming', streaming)], (c) => {
    c.server.shutdown_drain_seconds = 0.3;
  }));
  try {
    const json = chat(harness.url, chatBody('m')).then((r) => r.status, () => 'cut');
    const stream = chat(harness.url, chatBody('s', { stream: true })).then((r) => r.status, () => 'cut');
    await waitFor(() => harness.gateway.admission.inFlight === 2 && streaming.chatRequests === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await harness.gateway.stop();
    const took = performance.now() - started;
    assert.ok(took >= 280 && took < 2000, `stop() took ${took} ms`);
    assert.equal(await json, 'cut');
    assert.equal(await stream, 'cut');
    const metrics = recorded(harness);
    assert.equal(sumSamples(metrics, 'nexus_requests_total', { status: '503' }), 2);
    assert.equal(sumSamples(metrics, 'nexus_errors_total', { error_type: 'shutdown' }), 2);
    assert.equal(sumSamples(metrics, 'nexus_requests_total', { status: '499' }), 0);
    assert.equal(harness.gateway.admission.inFlight, 0);
  } finally {
    await harness.close();
    await Promise.all([hang.stop(), streaming.stop()]);
  }
});

test('with shutdown_drain_seconds 0 stop() cuts at once; calling it twice is one shutdown', async () => {
  const hang = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  hang.mode = 'hang';
  const harness = await gatewayWith(hang, 0);
  try {
    const json = chat(harness.url, chatBody('m')).then((r) => r.status, () => 'cut');
    await waitFor(() => harness.gateway.admission.inFlight === 1);
    const first = harness.gateway.stop();
    assert.equal(harness.gateway.stop(), first);
    await first;
    assert.equal(await json, 'cut');
    assert.equal(sumSamples(recorded(harness), 'nexus_errors_total', { error_type: 'shutdown' }), 1);
  } finally {
    await hang.stop();
  }
});
