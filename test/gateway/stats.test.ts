// /v1/stats agrees with /metrics (SPEC 4) also when the series cap folds label sets into the shared
// overflow series: each series is read once, however many (model, backend) pairs share it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import type { StatsDocument } from '../../src/gateway/stats.js';
import { parsePrometheusText, sumSamples } from '../support/prometheus-text.js';
import { backendEntry, chat, chatBody, startGateway, testConfig } from '../support/gateway-harness.js';

test('with the series cap reached, /v1/stats totals equal /metrics and folded requests keep their own model', async () => {
  const models = ['m1', 'm2', 'm3', 'm4', 'm5'];
  const sim = await SimulatedBackend.start({ type: 'vllm', models });
  const harness = await startGateway(testConfig([backendEntry('sim', sim)], (c) => {
    c.metrics.max_series_per_metric = 2;
  }));
  try {
    for (const model of models) assert.equal((await chat(harness.url, chatBody(model))).status, 200);
    assert.equal((await chat(harness.url, chatBody('unknown-model'))).status, 404);
    const metrics = parsePrometheusText(await (await fetch(`${harness.url}/metrics`)).text());
    const stats = (await (await fetch(`${harness.url}/v1/stats`)).json()) as StatsDocument;
    const total = sumSamples(metrics, 'nexus_requests_total');
    assert.equal(total, 6);
    assert.equal(stats.requests.total, total);
    assert.ok(sumSamples(metrics, 'nexus_requests_total', { model: '_overflow' }) >= 3, 'the cap did fold series');
    // /metrics lost the folded statuses; stats keeps each request's own model and status class.
    assert.deepEqual(stats.requests, { total: 6, success: 5, errors: 1 });
    assert.equal(stats.models.reduce((sum, m) => sum + m.requests, 0), total);
    assert.deepEqual(stats.models.map((m) => m.name).sort(), ['_unknown', ...models]);
    assert.deepEqual(stats.backends.map((b) => [b.id, b.requests]), [['sim', 5]]);
    const durationCount = sumSamples(metrics, 'nexus_request_duration_seconds_count');
    assert.equal(durationCount, total);
    for (const model of stats.models) assert.ok(Number.isFinite(model.average_duration_ms) && model.average_duration_ms >= 0);
  } finally {
    await harness.close();
    await sim.stop();
  }
});

test('without folding, every model and backend is reported under its own name', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['a-model', 'b-model'] });
  const harness = await startGateway(testConfig([backendEntry('gpu-1', sim)]));
  try {
    await chat(harness.url, chatBody('a-model'));
    await chat(harness.url, chatBody('a-model'));
    await chat(harness.url, chatBody('b-model'));
    const stats = (await (await fetch(`${harness.url}/v1/stats`)).json()) as StatsDocument;
    assert.deepEqual(stats.models.map((m) => [m.name, m.requests]), [['a-model', 2], ['b-model', 1]]);
    assert.deepEqual(stats.backends.map((b) => [b.id, b.requests]), [['gpu-1', 3]]);
    assert.equal(stats.requests.total, 3);
  } finally {
    await harness.close();
    await sim.stop();
  }
});

test('fallback_pairs lists each (requested, served) pair by raw name, most first, agreeing with /metrics', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['qwen2:7b', 'llama3:8b'] });
  const harness = await startGateway(testConfig([backendEntry('gpu-1', sim)], (c) => {
    c.routing.fallbacks = { 'gone/model:v1': ['qwen2:7b'], 'alpha-gone': ['qwen2:7b'], 'zeta-gone': ['llama3:8b'] };
  }));
  try {
    for (const model of ['gone/model:v1', 'gone/model:v1', 'alpha-gone', 'alpha-gone', 'zeta-gone', 'zeta-gone', 'zeta-gone']) {
      assert.equal((await chat(harness.url, chatBody(model))).status, 200);
    }
    const metrics = parsePrometheusText(await (await fetch(`${harness.url}/metrics`)).text());
    const stats = (await (await fetch(`${harness.url}/v1/stats`)).json()) as StatsDocument;
    assert.deepEqual(stats.fallback_pairs, [
      { from: 'zeta-gone', to: 'llama3:8b', count: 3 },
      { from: 'alpha-gone', to: 'qwen2:7b', count: 2 },
      { from: 'gone/model:v1', to: 'qwen2:7b', count: 2 },
    ]);
    assert.equal(stats.fallbacks, 7);
    assert.equal(sumSamples(metrics, 'nexus_fallbacks_total', { from_model: 'gone_model_v1', to_model: 'qwen2_7b' }), 2);
    assert.equal(sumSamples(metrics, 'nexus_fallbacks_total'), stats.fallbacks);
  } finally {
    await harness.close();
    await sim.stop();
  }
});

test('a fallback pair folded into the overflow series keeps its own name and count in /v1/stats', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['qwen2:7b'] });
  const harness = await startGateway(testConfig([backendEntry('gpu-1', sim)], (c) => {
    c.metrics.max_series_per_metric = 1;
    c.routing.fallbacks = { 'old-a': ['qwen2:7b'], 'old-b': ['qwen2:7b'] };
  }));
  try {
    for (const model of ['old-a', 'old-b', 'old-b']) assert.equal((await chat(harness.url, chatBody(model))).status, 200);
    const metrics = parsePrometheusText(await (await fetch(`${harness.url}/metrics`)).text());
    const stats = (await (await fetch(`${harness.url}/v1/stats`)).json()) as StatsDocument;
    assert.equal(sumSamples(metrics, 'nexus_fallbacks_total', { from_model: '_overflow' }), 2);
    assert.deepEqual(stats.fallback_pairs, [
      { from: 'old-b', to: 'qwen2:7b', count: 2 },
      { from: 'old-a', to: 'qwen2:7b', count: 1 },
    ]);
    assert.equal(stats.fallbacks, 3);
  } finally {
    await harness.close();
    await sim.stop();
  }
});
