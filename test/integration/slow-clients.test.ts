// Clients that are slow or leave (SPEC 2.2, SPEC 1 timeouts): a body too slow is 408 recorded as 408,
// an aborted upload is 499 and not an internal error, a client that reads nothing is disconnected
// after write_stall_timeout_seconds (499), and a slow backend is not a stalled client.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../src/logging/logger.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { parsePrometheusText, sumSamples } from '../support/prometheus-text.js';
import { backendEntry, chat, chatBody, testConfig, waitFor } from '../support/gateway-harness.js';
import { chatRequestBytes, closed, connect, readResponse } from '../support/raw-http.js';

const BIG_ANSWER = 24 * 1024 * 1024;

let sim: SimulatedBackend;
let big: http.Server;
let gateway: Gateway;
let url: string;
let port: number;
const logLines: string[] = [];

before(async () => {
  sim = await SimulatedBackend.start({ type: 'vllm', models: ['m', 'slow'] });
  // A backend with one 24 MB answer, more than socket buffers hold between gateway and a non-reader.
  const payload = Buffer.from(JSON.stringify({ pad: 'x'.repeat(BIG_ANSWER) }));
  big = http.createServer((req, res) => {
    req.resume();
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'big', object: 'model' }] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': payload.length });
    res.end(payload);
  });
  await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve));
  const bigUrl = `http://127.0.0.1:${(big.address() as AddressInfo).port}`;
  const config = testConfig([backendEntry('sim', sim), { name: 'big', url: bigUrl, type: 'vllm', priority: 50, models: ['big'] }], (c) => {
    c.server.body_timeout_seconds = 0.3;
    c.server.write_stall_timeout_seconds = 0.3;
    c.server.max_response_bytes = 32 * 1024 * 1024;
    c.logging.level = 'debug';
  });
  gateway = new Gateway(config, { logger: createLogger('debug', (line) => logLines.push(line)), env: {} });
  port = (await gateway.start()).port;
  url = `http://127.0.0.1:${port}`;
});

after(async () => {
  await gateway.stop();
  await sim.stop();
  big.closeAllConnections();
  await new Promise((resolve) => big.close(resolve));
});

async function requestsWith(status: string, errorType: string): Promise<[number, number]> {
  const metrics = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
  return [sumSamples(metrics, 'nexus_requests_total', { status }), sumSamples(metrics, 'nexus_errors_total', { error_type: errorType })];
}

function errorLines(): string[] {
  return logLines.filter((line) => JSON.parse(line).level === 'error');
}

test('a body that does not arrive within body_timeout_seconds is answered 408 in the envelope and recorded 408', async () => {
  const socket = await connect(port);
  socket.write(chatRequestBytes(JSON.stringify(chatBody('m'))).slice(0, -5));
  const started = performance.now();
  const answer = await readResponse(socket, 3000);
  assert.equal(answer.status, 408);
  assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(JSON.parse(answer.body).error.code, 'request_timeout');
  assert.ok(performance.now() - started < 2000);
  await closed(socket);
  await waitFor(() => gateway.admission.inFlight === 0);
  assert.deepEqual(await requestsWith('408', 'request_timeout'), [1, 1]);
});

test('a client aborting its upload is recorded 499 client_disconnected and logged as no error', async () => {
  const before = errorLines().length;
  const socket = await connect(port);
  socket.write(chatRequestBytes(JSON.stringify(chatBody('m', { padding: 'y'.repeat(10_000) }))).slice(0, 5000));
  await waitFor(() => gateway.admission.inFlight === 1);
  socket.destroy();
  await waitFor(() => gateway.admission.inFlight === 0);
  assert.deepEqual(await requestsWith('499', 'client_disconnected'), [1, 1]);
  assert.deepEqual(errorLines().slice(before), []);
});

test('a client that reads none of its answer is disconnected after write_stall_timeout_seconds and recorded 499', async () => {
  const socket = await connect(port);
  socket.pause();
  socket.write(chatRequestBytes(JSON.stringify(chatBody('big'))));
  await waitFor(() => gateway.admission.inFlight === 1);
  // The gateway gives up on the request (a paused client cannot notice the close until it reads).
  await waitFor(() => gateway.admission.inFlight === 0, 5000);
  assert.deepEqual(await requestsWith('499', 'client_disconnected'), [2, 2]);
  let received = 0;
  socket.on('data', (chunk: Buffer) => (received += chunk.length));
  socket.on('error', () => {});
  socket.resume();
  await closed(socket);
  assert.ok(received < BIG_ANSWER, `the client still got ${received} bytes`);
});

test('a client reading slowly but steadily is not a stalled client', async () => {
  const socket = await connect(port);
  socket.write(chatRequestBytes(JSON.stringify(chatBody('big'))));
  let received = 0;
  // A pause after every chunk: the whole answer takes several stall times to arrive, as one write
  // that completes only at the end, so only its partial progress shows the client is reading.
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    socket.pause();
    setTimeout(() => socket.resume(), 4);
  });
  const started = performance.now();
  await waitFor(() => received > BIG_ANSWER, 20_000);
  assert.ok(performance.now() - started > 600, 'the reader was not slow enough to test anything');
  assert.ok(!socket.destroyed);
  socket.destroy();
});

test('a backend slower than the stall time is not a stalled client', async () => {
  sim.latencyMs = 700;
  try {
    const res = await chat(url, chatBody('m'));
    assert.equal(res.status, 200);
    const stream = await chat(url, chatBody('m', { stream: true }));
    assert.equal(stream.status, 200);
  } finally {
    sim.latencyMs = 0;
  }
});
