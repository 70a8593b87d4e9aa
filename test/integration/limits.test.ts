// SPEC 1 limits on memory and concurrency: max_concurrent_requests (counted from arrival, uploads
// included), max_inflight_body_bytes (request bodies and buffered answers), max_response_bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { parsePrometheusText, sumSamples } from '../support/prometheus-text.js';
import { backendEntry, chat, chatBody, startGateway, testConfig, waitFor, type Harness } from '../support/gateway-harness.js';
import { chatRequestBytes, closed, connect, readResponse } from '../support/raw-http.js';

/** A backend whose chat answer is `size` bytes of JSON, written with back-pressure; counts what it wrote. */
async function bigAnswerBackend(size: number, declareLength: boolean): Promise<{ url: string; written: () => number; stop: () => Promise<void> }> {
  let written = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'big', object: 'model' }] }));
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': size } : {}) });
      const head = Buffer.from('{"pad":"');
      const tail = Buffer.from('"}');
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let left = size - head.length - tail.length;
      res.write(head);
      written += head.length;
      const pump = (): void => {
        while (left > 0 && !res.destroyed) {
          const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= piece.length;
          written += piece.length;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end(tail);
      };
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    written: () => written,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

async function scrape(harness: Harness): Promise<ReturnType<typeof parsePrometheusText>> {
  return parsePrometheusText(await (await fetch(`${harness.url}/metrics`)).text());
}

test('requests beyond max_concurrent_requests, counted from arrival, get 503 overloaded with Retry-After: 1', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const harness = await startGateway(testConfig([backendEntry('sim', sim)], (c) => {
    c.server.max_concurrent_requests = 2;
  }));
  try {
    const port = Number(new URL(harness.url).port);
    const body = JSON.stringify(chatBody('m'));
    // Two slow uploads: headers and half a body each. They hold their slots from arrival.
    const uploads = await Promise.all([connect(port), connect(port)]);
    for (const socket of uploads) socket.write(chatRequestBytes(body).slice(0, -10));
    await waitFor(() => harness.gateway.admission.inFlight === 2);
    const refused = await chat(harness.url, chatBody('m'));
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.match(refused.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(refused.json().error.code, 'overloaded');
    // The uploads complete and are served; then there is room again.
    const answers = uploads.map((socket) => readResponse(socket));
    for (const socket of uploads) socket.write(chatRequestBytes(body).slice(-10));
    for (const answer of await Promise.all(answers)) assert.equal(answer.status, 200);
    assert.equal((await chat(harness.url, chatBody('m'))).status, 200);
    for (const socket of uploads) socket.destroy();
    await waitFor(() => harness.gateway.admission.inFlight === 0);
    const metrics = await scrape(harness);
    assert.equal(sumSamples(metrics, 'nexus_requests_total', { status: '503', model: '_unknown', backend: 'none' }), 1);
    assert.equal(sumSamples(metrics, 'nexus_errors_total', { error_type: 'overloaded' }), 1);
    assert.equal(sumSamples(metrics, 'nexus_requests_total', { status: '200' }), 3);
  } finally {
    await harness.close();
    await sim.stop();
  }
});

test('request bodies and buffered answers beyond max_inflight_body_bytes get 503 overloaded', async () => {
  const big = await bigAnswerBackend(700 * 1024, true);
  const harness = await startGateway(testConfig([{ name: 'big', url: big.url, type: 'vllm', priority: 50 }], (c) => {
    c.server.max_inflight_body_bytes = 1536 * 1024;
  }));
  try {
    const port = Number(new URL(harness.url).port);
    // A holds 900 KB of an upload that is not finished.
    const padding = 'p'.repeat(1000 * 1024);
    const uploadA = chatRequestBytes(JSON.stringify(chatBody('nope', { padding })));
    const socketA = await connect(port);
    socketA.write(uploadA.slice(0, 900 * 1024));
    await waitFor(() => harness.gateway.admission.budget.used >= 850 * 1024);
    // B's 700 KB answer does not fit next to it: 503, although the backend answered.
    const refusedAnswer = await chat(harness.url, chatBody('big'));
    assert.equal(refusedAnswer.status, 503, refusedAnswer.text);
    assert.equal(refusedAnswer.json().error.code, 'overloaded');
    assert.equal(refusedAnswer.headers.get('retry-after'), '1');
    // C's own 700 KB body does not fit either.
    const refusedBody = await chat(harness.url, JSON.stringify(chatBody('big', { padding: 'q'.repeat(700 * 1024) })));
    assert.equal(refusedBody.status, 503);
    assert.equal(refusedBody.json().error.code, 'overloaded');
    // A finishes and is answered (404: its model is unknown); then the budget is empty and B fits.
    const answerA = readResponse(socketA);
    socketA.write(uploadA.slice(900 * 1024));
    assert.equal((await answerA).status, 404);
    socketA.destroy();
    await waitFor(() => harness.gateway.admission.budget.used === 0);
    assert.equal((await chat(harness.url, chatBody('big'))).status, 200);
    await waitFor(() => harness.gateway.admission.budget.used === 0);
    const metrics = await scrape(harness);
    assert.equal(sumSamples(metrics, 'nexus_errors_total', { error_type: 'overloaded' }), 2);
    // The dropped answer was the backend answering 200: a success (the gateway's budget dropped it),
    // not `cancelled` (the client left) and nothing towards ejecting the backend.
    assert.equal(sumSamples(metrics, 'nexus_upstream_attempts_total', { backend: 'big', outcome: 'success' }), 2);
    assert.equal(sumSamples(metrics, 'nexus_upstream_attempts_total', { backend: 'big', outcome: 'cancelled' }), 0);
    assert.equal(sumSamples(metrics, 'nexus_upstream_attempts_total', { backend: 'big' }), 2);
    const [backend] = ((await (await fetch(`${harness.url}/v1/backends`)).json()) as { backends: { consecutive_attempt_failures: number; ejected_until: string | null }[] }).backends;
    assert.equal(backend?.consecutive_attempt_failures, 0);
    assert.equal(backend?.ejected_until, null);
  } finally {
    await harness.close();
    await big.stop();
  }
});

for (const declareLength of [true, false]) {
  test(`a 50 MB upstream answer (${declareLength ? 'Content-Length' : 'chunked'}) is 502 and never read whole`, async () => {
    const big = await bigAnswerBackend(50 * 1024 * 1024, declareLength);
    const harness = await startGateway(testConfig([{ name: 'big', url: big.url, type: 'vllm', priority: 50 }], (c) => {
      c.routing.max_retries = 0;
    }));
    try {
      const res = await chat(harness.url, chatBody('big'));
      assert.equal(res.status, 502);
      assert.equal(res.json().error.code, 'backend_error');
      await waitFor(() => harness.gateway.admission.budget.used === 0);
      // The gateway stopped reading at max_response_bytes (16 MiB) and hung up; socket buffers aside,
      // the backend could not write the rest.
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(big.written() < 30 * 1024 * 1024, `backend wrote ${big.written()} bytes`);
    } finally {
      await harness.close();
      await big.stop();
    }
  });
}

test('a refused upload closes its connection, so unread body bytes are never taken for a request', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const harness = await startGateway(testConfig([backendEntry('sim', sim)], (c) => {
    c.server.max_body_bytes = 1000;
  }));
  try {
    const socket = await connect(Number(new URL(harness.url).port));
    socket.write(chatRequestBytes(JSON.stringify(chatBody('m', { padding: 'z'.repeat(5000) }))));
    const answer = await readResponse(socket);
    assert.equal(answer.status, 413);
    assert.equal(answer.headers.connection, 'close');
    await closed(socket);
  } finally {
    await harness.close();
    await sim.stop();
  }
});
