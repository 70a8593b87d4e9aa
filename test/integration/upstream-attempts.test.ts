// Each upstream attempt on its own: its timeouts (first byte for streams, whole answer for JSON),
// busy answers that fail over, what the backend is sent, and how every attempt is counted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { NexusConfig } from '../../src/config/types.js';
import { SimulatedBackend, type SimulatedMode } from '../../src/simulator/simulated-backend.js';
import { parsePrometheusText, sampleValue, sumSamples } from '../support/prometheus-text.js';
import { backendEntry, chat, chatBody, startGateway, testConfig, totalPending, waitFor, type Harness } from '../support/gateway-harness.js';

/** A gateway over a preferred backend in `mode` and a good one, priority_only, short attempt timeouts. */
async function pair(mode: SimulatedMode, tweak: (c: NexusConfig) => void = () => {}) {
  const first = await SimulatedBackend.start({ type: 'vllm', models: ['m'], mode });
  const second = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const harness = await startGateway(testConfig([backendEntry('first', first, { priority: 1 }), backendEntry('second', second, { priority: 2 })], (c) => {
    c.routing.strategy = 'priority_only';
    c.routing.first_byte_timeout_seconds = 0.2;
    c.routing.attempt_timeout_seconds = 0.2;
    tweak(c);
  }));
  return {
    first,
    second,
    harness,
    async close() {
      await harness.close();
      await Promise.all([first.stop(), second.stop()]);
    },
  };
}

async function metrics(harness: Harness) {
  await waitFor(() => totalPending(harness) === 0);
  return parsePrometheusText(await (await fetch(`${harness.url}/metrics`)).text());
}

test('a stream whose backend sends its head and then nothing fails over on the first-byte timeout', async () => {
  const t = await pair('hang-after-headers');
  try {
    const res = await chat(t.harness.url, chatBody('m', { stream: true }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-nexus-backend'), 'second');
    assert.ok(res.text.endsWith('data: [DONE]\n\n'));
    const m = await metrics(t.harness);
    assert.equal(sampleValue(m, 'nexus_upstream_attempts_total', { backend: 'first', outcome: 'timeout' }), 1);
    assert.equal(sampleValue(m, 'nexus_upstream_attempts_total', { backend: 'second', outcome: 'success' }), 1);
    assert.equal(sumSamples(m, 'nexus_upstream_first_byte_seconds_count', { backend: 'first' }), 0, 'a head alone is not a stream\'s first byte');
    assert.equal(sumSamples(m, 'nexus_upstream_first_byte_seconds_count', { backend: 'second' }), 1);
  } finally {
    await t.close();
  }
});

test('a JSON answer not complete within the attempt timeout fails over to the next backend', async () => {
  const t = await pair('hang');
  try {
    const res = await chat(t.harness.url, chatBody('m'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-nexus-backend'), 'second');
    const m = await metrics(t.harness);
    assert.equal(sampleValue(m, 'nexus_upstream_attempts_total', { backend: 'first', outcome: 'timeout' }), 1);
  } finally {
    await t.close();
  }
});

test('a stream that sends headers and then nothing from every backend is a 504 timeout, recorded so', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'], mode: 'hang-after-headers' });
  const harness = await startGateway(testConfig([backendEntry('only', sim)], (c) => (c.routing.first_byte_timeout_seconds = 0.2)));
  try {
    const res = await chat(harness.url, chatBody('m', { stream: true }));
    assert.equal(res.status, 504);
    assert.equal(res.json().error.code, 'timeout');
    const m = await metrics(harness);
    assert.equal(sampleValue(m, 'nexus_requests_total', { model: 'm', backend: 'only', status: '504' }), 1);
    assert.equal(sampleValue(m, 'nexus_errors_total', { error_type: 'timeout', model: 'm' }), 1);
  } finally {
    await harness.close();
    await sim.stop();
  }
});

test('a busy 429 or 503 tries the next backend and never ejects the busy one', async () => {
  for (const mode of ['busy429', 'busy503'] as const) {
    const t = await pair(mode, (c) => (c.routing.outlier.consecutive_failures = 1));
    try {
      for (let i = 0; i < 3; i++) {
        const res = await chat(t.harness.url, chatBody('m'));
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('x-nexus-backend'), 'second');
      }
      assert.equal(t.first.chatRequests, 3, 'still tried first every time');
      const m = await metrics(t.harness);
      assert.equal(sampleValue(m, 'nexus_upstream_attempts_total', { backend: 'first', outcome: 'busy' }), 3);
      assert.equal(sampleValue(m, 'nexus_backend_ejected', { backend: 'first' }), 0);
    } finally {
      await t.close();
    }
  }
});

test('when every backend is busy the last 429/503 passes through with its Retry-After', async () => {
  const t = await pair('busy503');
  t.second.mode = 'busy429';
  try {
    const res = await chat(t.harness.url, chatBody('m'));
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.equal(res.headers.get('x-nexus-backend'), 'second');
    assert.equal(res.json().error.message, 'simulated: too many requests');
    t.second.mode = 'busy503';
    const again = await chat(t.harness.url, chatBody('m', { stream: true }));
    assert.equal(again.status, 503);
    assert.equal(again.headers.get('retry-after'), '3');
    const m = await metrics(t.harness);
    assert.equal(sampleValue(m, 'nexus_requests_total', { model: 'm', backend: 'second', status: '429' }), 1);
    assert.equal(sampleValue(m, 'nexus_errors_total', { error_type: 'backend_error', model: 'm' }), 2);
  } finally {
    await t.close();
  }
});

test('when attempts fail in different ways the last failure decides the answer', async () => {
  const t = await pair('busy503');
  t.second.mode = 'error500';
  try {
    const res = await chat(t.harness.url, chatBody('m'));
    assert.equal(res.status, 502);
    assert.equal(res.json().error.code, 'backend_error');
    t.first.mode = 'error500';
    t.second.mode = 'hang';
    const late = await chat(t.harness.url, chatBody('m'));
    assert.equal(late.status, 504);
    assert.equal(late.json().error.code, 'timeout');
  } finally {
    await t.close();
  }
});

test('a body with two model keys reaches the backend with only the model it was routed on', async () => {
  const t = await pair('ok', (c) => (c.routing.aliases = { smart: 'm' }));
  try {
    for (const raw of ['{"model":"other","messages":[],"model":"m"}', '{"model":"m","messages":[],"\\u006dodel":"smart"}']) {
      const res = await chat(t.harness.url, raw);
      assert.equal(res.status, 200, raw);
      const sent = t.first.received.at(-1)!.raw;
      assert.equal(sent.split('"model"').length - 1, 1, `one model key in ${sent}`);
      assert.doesNotMatch(sent, /\\u006d/);
      assert.equal(JSON.parse(sent).model, 'm');
    }
  } finally {
    await t.close();
  }
});

test('with health checks off a backend without models takes any model name, labelled _unknown unless configured', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['served-here', 'aliased'] });
  const harness = await startGateway(testConfig([{ name: 'open', url: sim.url, type: 'vllm', priority: 1 }], (c) => {
    c.health_check.enabled = false;
    c.routing.aliases = { nice: 'aliased' };
  }));
  try {
    const res = await chat(harness.url, chatBody('served-here'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-nexus-model'), 'served-here');
    assert.equal((await chat(harness.url, chatBody('nice'))).status, 200);
    const missing = await chat(harness.url, chatBody('not-on-the-backend'));
    assert.equal(missing.status, 404, 'the backend decides');
    const m = await metrics(harness);
    assert.equal(sampleValue(m, 'nexus_requests_total', { model: '_unknown', backend: 'open', status: '200' }), 1);
    assert.equal(sampleValue(m, 'nexus_requests_total', { model: '_unknown', backend: 'open', status: '404' }), 1);
    assert.equal(sampleValue(m, 'nexus_requests_total', { model: 'aliased', backend: 'open', status: '200' }), 1);
  } finally {
    await harness.close();
    await sim.stop();
  }
});

test('a client that stops reading a fast stream longer than the idle timeout still gets all of it', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  sim.streamRepeat = 4000; // about 3 MB of events, far more than the socket buffers hold
  sim.streamSliceBytes = 64 * 1024;
  const harness = await startGateway(testConfig([backendEntry('fast', sim)], (c) => (c.server.stream_idle_timeout_seconds = 0.2)));
  try {
    const text = await new Promise<string>((resolve, reject) => {
      const req = http.request(`${harness.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.once('data', (chunk: Buffer) => {
          chunks.push(chunk);
          res.pause();
          setTimeout(() => {
            res.on('data', (c: Buffer) => chunks.push(c));
            res.resume();
          }, 800); // four idle timeouts without reading
        });
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      });
      req.end(JSON.stringify(chatBody('m', { stream: true })));
    });
    assert.ok(text.endsWith('data: [DONE]\n\n'), 'the whole stream arrived');
    assert.doesNotMatch(text, /"error"/);
    const m = await metrics(harness);
    assert.equal(sampleValue(m, 'nexus_requests_total', { model: 'm', backend: 'fast', status: '200' }), 1);
    assert.equal(sampleValue(m, 'nexus_upstream_attempts_total', { backend: 'fast', outcome: 'success' }), 1);
  } finally {
    await harness.close();
    await sim.stop();
  }
});

test('a slow stream is not gateway overhead: overhead stops at the first byte sent', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'], chunkDelayMs: 10 });
  const harness = await startGateway(testConfig([backendEntry('slow', sim)]));
  try {
    for (let i = 0; i < 3; i++) assert.equal((await chat(harness.url, chatBody('m', { stream: true }))).status, 200);
    const m = await metrics(harness);
    const duration = sumSamples(m, 'nexus_request_duration_seconds_sum');
    assert.ok(duration > 0.3, `the streams took ${duration} s`);
    assert.equal(sampleValue(m, 'nexus_gateway_overhead_seconds_count'), 3);
    assert.ok(sampleValue(m, 'nexus_gateway_overhead_seconds_sum')! < duration / 10, 'relaying is not overhead');
  } finally {
    await harness.close();
    await sim.stop();
  }
});

test('a busy 503 without Retry-After reaches the client with one (every 503 carries it)', async () => {
  const bare = http.createServer((req, res) => {
    if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[{"id":"m"}]}');
    req.resume();
    req.on('end', () => res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"busy"}}'));
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(bare.address() as { port: number }).port}`;
  const harness = await startGateway(testConfig([{ name: 'bare', url, type: 'vllm', priority: 1 }]));
  try {
    const res = await chat(harness.url, chatBody('m'));
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '1');
    assert.equal(res.json().error.message, 'busy');
  } finally {
    await harness.close();
    await new Promise((resolve) => bare.close(resolve));
  }
});
