// SPEC 2.2: names the gateway does not control (model and backend names from backends and configs,
// client model strings) can never crash the process, fail a served request or find inherited properties.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/logging/logger.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { decodeHeaderValue } from '../../src/http/header-value.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { parsePrometheusText, sumSamples } from '../support/prometheus-text.js';
import { backendEntry, chat, chatBody, testConfig } from '../support/gateway-harness.js';

const ODD_MODELS = ['qwen✓', '模型-7b', 'emoji🦙', 'ctrl\u0001char', 'line\r\nX-Injected: yes', 'tab\there', '100%'];
const ODD_BACKEND = 'gpu ✓ één';

let sim: SimulatedBackend;
let other: SimulatedBackend;
let gateway: Gateway;
let url: string;
const logLines: string[] = [];

before(async () => {
  sim = await SimulatedBackend.start({ type: 'ollama', models: [...ODD_MODELS, 'llama3:8b'] });
  other = await SimulatedBackend.start({ type: 'vllm', models: ['other'] });
  const config = testConfig([backendEntry(ODD_BACKEND, sim), backendEntry('plain', other)], (c) => {
    c.logging.level = 'debug';
    c.routing.aliases = { 'gpt-4': 'llama3:8b', constructor: 'llama3:8b' };
    c.routing.fallbacks = { other: ['llama3:8b'] };
  });
  gateway = new Gateway(config, { logger: createLogger('debug', (line) => logLines.push(line)), env: {} });
  url = `http://127.0.0.1:${(await gateway.start()).port}`;
});

after(async () => {
  await gateway.stop();
  await Promise.all([sim.stop(), other.stop()]);
});

for (const model of ODD_MODELS) {
  test(`model ${JSON.stringify(model)} is served, streamed and non-streamed, with headers that decode back`, async () => {
    const json = await chat(url, chatBody(model));
    assert.equal(json.status, 200, json.text);
    assert.equal(decodeHeaderValue(json.headers.get('x-nexus-model') ?? ''), model);
    assert.equal(decodeHeaderValue(json.headers.get('x-nexus-backend') ?? ''), ODD_BACKEND);
    assert.equal(json.headers.get('x-injected'), null);
    const stream = await chat(url, chatBody(model, { stream: true }));
    assert.equal(stream.status, 200);
    assert.match(stream.text, /data: \[DONE\]/);
    assert.equal(decodeHeaderValue(stream.headers.get('x-nexus-model') ?? ''), model);
  });
}

test('a fallback served under an odd backend name carries an encoded X-Nexus-Fallback-Model', async () => {
  await other.stop();
  await gateway.health.checkAll();
  await gateway.health.checkAll();
  await gateway.health.checkAll();
  const res = await chat(url, chatBody('other', { stream: true }));
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers.get('x-nexus-fallback-model'), 'llama3:8b');
  assert.equal(decodeHeaderValue(res.headers.get('x-nexus-backend') ?? ''), ODD_BACKEND);
});

for (const model of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf']) {
  test(`model ${JSON.stringify(model)} is an ordinary unknown model: 404, nothing logged as an error`, async () => {
    const before = logLines.length;
    // "constructor" is configured as an alias here, so it resolves like any alias.
    const res = await chat(url, chatBody(model));
    if (model === 'constructor') {
      assert.equal(res.status, 200, res.text);
    } else {
      assert.equal(res.status, 404, res.text);
      assert.equal(res.json().error.code, 'model_not_found');
    }
    const stream = await chat(url, chatBody(model, { stream: true }));
    assert.equal(stream.status, model === 'constructor' ? 200 : 404);
    assert.deepEqual(logLines.slice(before).filter((line) => JSON.parse(line).level === 'error'), []);
  });
}

test('GET /v1/models/{id} for inherited property names is a 404, not a crash', async () => {
  for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    const res = await fetch(`${url}/v1/models/${encodeURIComponent(id)}`);
    assert.equal(res.status, id === 'constructor' ? 200 : 404, id);
  }
  const odd = await fetch(`${url}/v1/models/${encodeURIComponent('qwen✓')}`);
  assert.equal(odd.status, 200);
});

test('every odd request above was counted under bounded labels and /metrics still parses', async () => {
  const metrics = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
  assert.ok(sumSamples(metrics, 'nexus_requests_total', { status: '404' }) >= 12);
  assert.equal(sumSamples(metrics, 'nexus_requests_total', { status: '500' }), 0);
  for (const sample of metrics.get('nexus_requests_total')!.samples) assert.match(sample.labels.model ?? '', /^[a-zA-Z_][a-zA-Z0-9_]*$/);
});
