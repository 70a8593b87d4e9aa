// What node:http answers by itself (SPEC 2.2): malformed requests, headers too large, headers too
// slow. Each gets the OpenAI envelope with JSON content type, and none is a chat request in metrics.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { parsePrometheusText, sumSamples } from '../support/prometheus-text.js';
import { backendEntry, startGateway, testConfig, type Harness } from '../support/gateway-harness.js';
import { connect, exchangeRaw, type RawResponse } from '../support/raw-http.js';

let sim: SimulatedBackend;
let harness: Harness;
let port: number;

before(async () => {
  sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  harness = await startGateway(testConfig([backendEntry('sim', sim)], (c) => {
    c.server.headers_timeout_seconds = 0.2;
  }));
  port = Number(new URL(harness.url).port);
});

after(async () => {
  await harness.close();
  await sim.stop();
});

function assertEnvelope(response: RawResponse, status: number, code: string): void {
  assert.equal(response.status, status);
  assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(response.headers.connection, 'close');
  const body = JSON.parse(response.body) as { error: { message: string; type: string; param: unknown; code: string } };
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.equal(typeof body.error.type, 'string');
  assert.ok('param' in body.error);
}

test('a malformed request line gets 400 in the envelope', async () => {
  const { response } = await exchangeRaw(port, 'THIS IS NOT HTTP\r\n\r\n');
  assertEnvelope(response, 400, 'bad_request');
});

test('a bad header gets 400 in the envelope', async () => {
  const { response } = await exchangeRaw(port, 'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nBad Header Name: y\r\n\r\n');
  assertEnvelope(response, 400, 'bad_request');
});

test('headers over the size limit get 431 in the envelope', async () => {
  const { response } = await exchangeRaw(port, `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  assertEnvelope(response, 431, 'headers_too_large');
});

test('headers that do not arrive within headers_timeout_seconds get 408 in the envelope, promptly', async () => {
  const started = performance.now();
  const { response } = await exchangeRaw(port, 'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n', 3000);
  assertEnvelope(response, 408, 'request_timeout');
  assert.ok(performance.now() - started < 2000);
});

test('an idle kept-alive connection is not cut by the headers timeout', async () => {
  const socket = await connect(port);
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.ok(!socket.destroyed, 'the idle socket was closed');
  assert.match(text, /^HTTP\/1\.1 200/);
  socket.destroy();
});

test('none of those reached a route: no chat request was counted', async () => {
  const metrics = parsePrometheusText(await (await fetch(`${harness.url}/metrics`)).text());
  assert.equal(sumSamples(metrics, 'nexus_requests_total'), 0);
});
