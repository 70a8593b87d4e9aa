import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { backendEntry, chat, chatBody, startGateway, testConfig, totalPending, type Harness } from '../support/gateway-harness.js';

let sim: SimulatedBackend;
let down: SimulatedBackend;
let harness: Harness;

before(async () => {
  sim = await SimulatedBackend.start({ type: 'ollama', models: ['llama3:8b'] });
  down = await SimulatedBackend.start({ type: 'vllm', models: ['sleepy'] });
  down.mode = 'ok';
  harness = await startGateway(testConfig([backendEntry('ollama', sim), backendEntry('down', down)], (c) => {
    c.routing.aliases = { sleepy_alias: 'sleepy' };
    c.health_check.failure_threshold = 1;
  }));
  // Take one backend down after discovery, then let a check notice it.
  await down.stop();
});

after(async () => {
  await harness.close();
  await sim.stop();
});

function assertEnvelope(body: any, code: string): void {
  assert.equal(typeof body.error.message, 'string');
  assert.equal(typeof body.error.type, 'string');
  assert.ok('param' in body.error);
  assert.equal(body.error.code, code);
}

test('malformed JSON gets 400 invalid_json', async () => {
  const res = await chat(harness.url, '{"model": "llama3:8b", ');
  assert.equal(res.status, 400);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  assertEnvelope(res.json(), 'invalid_json');
});

test('a missing model gets 400 missing_model naming the param', async () => {
  const res = await chat(harness.url, { messages: [] });
  assert.equal(res.status, 400);
  assertEnvelope(res.json(), 'missing_model');
  assert.equal(res.json().error.param, 'model');
});

test('non-array messages get 400', async () => {
  const res = await chat(harness.url, { model: 'llama3:8b', messages: 'hi' });
  assert.equal(res.status, 400);
  assertEnvelope(res.json(), 'invalid_messages');
});

test('an 11 MiB body gets 413 and the server keeps serving', async () => {
  const big = JSON.stringify(chatBody('llama3:8b', { padding: 'x'.repeat(11 * 1024 * 1024) }));
  const res = await chat(harness.url, big);
  assert.equal(res.status, 413);
  assertEnvelope(res.json(), 'body_too_large');
  assert.equal((await chat(harness.url, chatBody('llama3:8b'))).status, 200);
});

test('an unknown path gets a 404 JSON error', async () => {
  const res = await fetch(`${harness.url}/v2/nothing`);
  assert.equal(res.status, 404);
  assertEnvelope(await res.json(), 'not_found');
});

test('a wrong method gets 405 with Allow', async () => {
  const res = await fetch(`${harness.url}/v1/chat/completions`);
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow'), 'POST');
  assertEnvelope(await res.json(), 'method_not_allowed');
});

test('an unknown model gets 404 model_not_found', async () => {
  const res = await chat(harness.url, chatBody('no-such-model'));
  assert.equal(res.status, 404);
  assertEnvelope(res.json(), 'model_not_found');
});

test('a known model with no healthy backend gets 503', async () => {
  await harness.gateway.health.checkAll();
  const res = await chat(harness.url, chatBody('sleepy_alias'));
  assert.equal(res.status, 503);
  assertEnvelope(res.json(), 'no_healthy_backend');
  assert.equal(totalPending(harness), 0);
});

test('models, backends and health describe the fleet', async () => {
  const models = (await (await fetch(`${harness.url}/v1/models`)).json()) as any;
  assert.deepEqual(models.data.map((m: { id: string }) => m.id), ['llama3:8b', 'sleepy_alias']);
  assert.equal(models.data[1].alias_for, 'sleepy', 'an alias is listed with the model it resolves to');
  const backends = (await (await fetch(`${harness.url}/v1/backends`)).json()) as any;
  assert.deepEqual(backends.backends.map((b: { name: string; status: string }) => `${b.name}:${b.status}`), ['down:unhealthy', 'ollama:healthy']);
  const health = (await (await fetch(`${harness.url}/health`)).json()) as any;
  assert.equal(health.status, 'degraded');
  assert.deepEqual(health.backends, { total: 2, healthy: 1, unhealthy: 1 });
});

test('a backend whose API key node:http refuses as a header fails over like any broken backend', async () => {
  const good = await SimulatedBackend.start({ type: 'vllm', models: ['keyed'] });
  const keyed = await SimulatedBackend.start({ type: 'vllm', models: ['keyed'] });
  const gateway = await startGateway(
    testConfig([backendEntry('bad-key', keyed, { priority: 1, api_key_env: 'BAD_KEY' }), backendEntry('good', good, { priority: 2 })], (c) => {
      c.routing.strategy = 'priority_only';
    }),
    { BAD_KEY: 'sk-line\nbreak' },
  );
  try {
    const res = await chat(gateway.url, chatBody('keyed'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-nexus-backend'), 'good');
    assert.equal(keyed.received.length, 0);
    assert.equal(totalPending(gateway), 0);
  } finally {
    await gateway.close();
    await Promise.all([good.stop(), keyed.stop()]);
  }
});
