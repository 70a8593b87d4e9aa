import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { SimulatedBackend, REPLY_TEXT } from '../../src/simulator/simulated-backend.js';
import { backendEntry, chat, chatBody, startGateway, testConfig, totalPending, waitFor, type Harness } from '../support/gateway-harness.js';

let ollama: SimulatedBackend;
let vllmA: SimulatedBackend;
let vllmB: SimulatedBackend;
let harness: Harness;

before(async () => {
  ollama = await SimulatedBackend.start({ type: 'ollama', models: ['llama3:8b', 'qwen2:7b'] });
  vllmA = await SimulatedBackend.start({ type: 'vllm', models: ['mistral-7b'] });
  vllmB = await SimulatedBackend.start({ type: 'vllm', models: ['mistral-7b'] });
  harness = await startGateway(
    testConfig(
      [
        backendEntry('ollama-1', ollama),
        backendEntry('vllm-a', vllmA, { priority: 10, api_key_env: 'VLLM_KEY' }),
        backendEntry('vllm-b', vllmB, { priority: 20 }),
      ],
      (c) => {
        c.routing.strategy = 'priority_only';
        c.routing.aliases = { 'gpt-4': 'big', big: 'llama3:8b' };
        c.routing.fallbacks = { 'missing-model': ['qwen2:7b'] };
        c.server.request_timeout_seconds = 0.5;
      },
    ),
    { VLLM_KEY: 'sk-secret-123' },
  );
});

after(async () => {
  await harness.close();
  await Promise.all([ollama.stop(), vllmA.stop(), vllmB.stop()]);
});

function reset(): void {
  for (const sim of [ollama, vllmA, vllmB]) {
    sim.mode = 'ok';
    sim.received.length = 0;
  }
}

test('a JSON chat completion passes through unchanged with Nexus headers', async () => {
  reset();
  const res = await chat(harness.url, chatBody('llama3:8b'), { 'x-request-id': 'req-42' });
  assert.equal(res.status, 200);
  assert.equal(res.json().choices[0].message.content, REPLY_TEXT);
  assert.equal(res.headers.get('x-nexus-backend'), 'ollama-1');
  assert.equal(res.headers.get('x-nexus-model'), 'llama3:8b');
  assert.equal(res.headers.get('x-request-id'), 'req-42');
  assert.equal(res.headers.get('x-nexus-fallback-model'), null);
  assert.equal(ollama.received[0]?.headers['x-request-id'], 'req-42');
});

test('a request for a model served as named goes upstream byte for byte', async () => {
  reset();
  const raw = '{ "messages": [{"role":"user","content":"Hi \\u00e9"}],\n  "model": "llama3:8b", "seed": 1.50, "extra": {"k": null} }';
  const res = await chat(harness.url, raw);
  assert.equal(res.status, 200);
  assert.equal(ollama.received[0]?.raw, raw);
});

test('an alias chain sends the resolved model upstream and keeps every other field', async () => {
  reset();
  const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
  const res = await chat(harness.url, chatBody('gpt-4', { tools, temperature: 0.2, response_format: { type: 'json_object' }, custom_key: [1, 'x'] }));
  assert.equal(res.status, 200);
  const sent = ollama.received[0]?.body;
  assert.equal(sent?.model, 'llama3:8b');
  assert.deepEqual(sent?.tools, tools);
  assert.equal(sent?.temperature, 0.2);
  assert.deepEqual(sent?.response_format, { type: 'json_object' });
  assert.deepEqual(sent?.custom_key, [1, 'x']);
  assert.equal(res.json().choices[0].message.tool_calls[0].function.name, 'get_weather');
});

test('a fallback model serves when the requested one has no backend, and says so in a header', async () => {
  reset();
  const res = await chat(harness.url, chatBody('missing-model'));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-nexus-fallback-model'), 'qwen2:7b');
  assert.equal(res.headers.get('x-nexus-model'), 'qwen2:7b');
  assert.equal(ollama.received[0]?.body.model, 'qwen2:7b');
});

test('a 5xx from one backend is retried on the next candidate', async () => {
  reset();
  vllmA.mode = 'error500';
  const res = await chat(harness.url, chatBody('mistral-7b'));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-nexus-backend'), 'vllm-b');
  assert.equal(vllmA.received.length, 1);
  assert.equal(vllmB.received.length, 1);
});

test('a 5xx from every candidate ends in 502 backend_error', async () => {
  reset();
  vllmA.mode = 'error500';
  vllmB.mode = 'error500';
  const res = await chat(harness.url, chatBody('mistral-7b'));
  assert.equal(res.status, 502);
  assert.equal(res.json().error.code, 'backend_error');
  assert.equal(totalPending(harness), 0);
});

test('a 400 from the backend passes through and is not retried', async () => {
  reset();
  vllmA.mode = 'status400';
  const res = await chat(harness.url, chatBody('mistral-7b'));
  assert.equal(res.status, 400);
  assert.equal(res.json().error.message, 'simulated bad request');
  assert.equal(vllmB.received.length, 0);
});

test('a 2xx answer that is not JSON becomes 502', async () => {
  reset();
  ollama.mode = 'garbage';
  const res = await chat(harness.url, chatBody('llama3:8b'));
  assert.equal(res.status, 502);
  assert.equal(res.json().error.code, 'invalid_backend_response');
});

test('a backend that hangs past the deadline gives 504 and leaves nothing pending', async () => {
  reset();
  ollama.mode = 'hang';
  const res = await chat(harness.url, chatBody('llama3:8b'));
  assert.equal(res.status, 504);
  assert.equal(res.json().error.code, 'timeout');
  await waitFor(() => totalPending(harness) === 0);
});

test('the backend API key replaces the client token, and the client token passes otherwise', async () => {
  reset();
  await chat(harness.url, chatBody('mistral-7b'), { authorization: 'Bearer client-token' });
  assert.equal(vllmA.received[0]?.headers.authorization, 'Bearer sk-secret-123');
  await chat(harness.url, chatBody('llama3:8b'), { authorization: 'Bearer client-token' });
  assert.equal(ollama.received[0]?.headers.authorization, 'Bearer client-token');
  const backends = await (await fetch(`${harness.url}/v1/backends`)).text();
  assert.doesNotMatch(backends, /sk-secret-123/);
});

test('a stream is relayed byte for byte, multi-byte characters split across chunks intact', async () => {
  reset();
  const res = await chat(harness.url, chatBody('llama3:8b', { stream: true, stream_options: { include_usage: true } }));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const events = res.text.split('\n\n').filter((e) => e.startsWith('data: ') && e !== 'data: [DONE]');
  const content = events.map((e) => JSON.parse(e.slice(6)) as { choices: { delta?: { content?: string } }[] }).map((c) => c.choices[0]?.delta?.content ?? '').join('');
  assert.equal(content, REPLY_TEXT);
  assert.match(res.text, /"usage":\{"prompt_tokens":12/);
  assert.ok(res.text.endsWith('data: [DONE]\n\n'));
});

test('usage the gateway asked for on its own is stripped before it reaches the client', async () => {
  reset();
  const res = await chat(harness.url, chatBody('llama3:8b', { stream: true }));
  assert.equal(res.status, 200);
  assert.deepEqual(ollama.received[0]?.body.stream_options, { include_usage: true });
  assert.doesNotMatch(res.text, /"usage"/);
  assert.ok(res.text.endsWith('data: [DONE]\n\n'));
});

test('a stream that dies before any data fails over to the next backend', async () => {
  reset();
  vllmA.mode = 'die-before-data';
  const res = await chat(harness.url, chatBody('mistral-7b', { stream: true }));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-nexus-backend'), 'vllm-b');
});

test('a stream cut mid-way ends with an in-band error event and no failover', async () => {
  reset();
  vllmA.mode = 'die-mid-stream';
  vllmA.chunkDelayMs = 2;
  const res = await chat(harness.url, chatBody('mistral-7b', { stream: true })).finally(() => (vllmA.chunkDelayMs = 0));
  assert.equal(res.status, 200);
  assert.match(res.text, /Héllo/);
  assert.match(res.text, /"code":"stream_interrupted"/);
  assert.equal(vllmB.received.length, 0);
  await waitFor(() => totalPending(harness) === 0);
});

test('a client that disconnects mid-stream aborts the upstream request', async () => {
  reset();
  ollama.chunkDelayMs = 20;
  try {
    await new Promise<void>((resolve, reject) => {
      const req = http.request(`${harness.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.on('close', () => resolve());
      req.end(JSON.stringify(chatBody('llama3:8b', { stream: true })));
      setTimeout(() => reject(new Error('no data')), 2000);
    });
    await waitFor(() => totalPending(harness) === 0);
  } finally {
    ollama.chunkDelayMs = 0;
  }
});

test('connections to backends are reused (keep-alive)', async () => {
  reset();
  await chat(harness.url, chatBody('llama3:8b'));
  const before = ollama.connections;
  for (let i = 0; i < 10; i++) await chat(harness.url, chatBody('llama3:8b'));
  assert.equal(ollama.received.length, 11);
  assert.equal(ollama.connections, before);
});
