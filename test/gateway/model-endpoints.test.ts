// /v1/models and /v1/models/{id} through the official OpenAI SDK: models and aliases listed,
// each retrievable, unknown ids a 404 the SDK raises as NotFoundError.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { backendEntry, startGateway, testConfig, type Harness } from '../support/gateway-harness.js';

let sim: SimulatedBackend;
let harness: Harness;
let client: OpenAI;

before(async () => {
  sim = await SimulatedBackend.start({ type: 'vllm', models: ['meta-llama/Llama-3-8B', 'qwen2:7b'] });
  harness = await startGateway(testConfig([backendEntry('gpu', sim)], (c) => (c.routing.aliases = { 'gpt-4o': 'big', big: 'meta-llama/Llama-3-8B', 'qwen2:7b': 'other' })));
  client = new OpenAI({ apiKey: 'unused', baseURL: `${harness.url}/v1`, maxRetries: 0 });
});

after(async () => {
  await harness.close();
  await sim.stop();
});

test('models.list() returns the served models and every alias, sorted, aliases marked with their target', async () => {
  const page = await client.models.list();
  const entries = page.data as (OpenAI.Models.Model & { alias_for?: string })[];
  assert.deepEqual(entries.map((m) => m.id), ['big', 'gpt-4o', 'meta-llama/Llama-3-8B', 'qwen2:7b']);
  assert.equal(entries.find((m) => m.id === 'gpt-4o')?.alias_for, 'meta-llama/Llama-3-8B');
  assert.equal(entries.find((m) => m.id === 'meta-llama/Llama-3-8B')?.alias_for, undefined);
  assert.equal(entries.find((m) => m.id === 'qwen2:7b')?.alias_for, undefined, 'a served model stays a model even if an alias shares its name');
});

test('models.retrieve() answers for a model (slashes included) and for an alias; unknown ids are 404', async () => {
  assert.equal((await client.models.retrieve('meta-llama/Llama-3-8B')).id, 'meta-llama/Llama-3-8B');
  const alias = (await client.models.retrieve('gpt-4o')) as OpenAI.Models.Model & { alias_for?: string };
  assert.equal(alias.alias_for, 'meta-llama/Llama-3-8B');
  await assert.rejects(client.models.retrieve('no-such-model'), OpenAI.NotFoundError);
  const raw = await fetch(`${harness.url}/v1/models/%E0%A4%A`);
  assert.equal(raw.status, 404);
  assert.equal(((await raw.json()) as { error: { code: string } }).error.code, 'model_not_found');
  assert.equal((await fetch(`${harness.url}/v1/models/x`, { method: 'POST' })).status, 405);
});
