// OpenMetrics on the gateway's /metrics: negotiated from Accept, exemplars carrying request ids on
// the request-duration buckets, and a real Prometheus (exemplar storage on) reading them back.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { backendEntry, chat, chatBody, startGateway, testConfig, type Harness } from '../support/gateway-harness.js';
import { PrometheusServer } from '../support/prometheus-server.js';
import { hasTool, missingToolReason } from '../support/system-tools.js';

const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

let sim: SimulatedBackend;
let harness: Harness;

before(async () => {
  sim = await SimulatedBackend.start({ type: 'ollama', models: ['llama3:8b'] });
  harness = await startGateway(testConfig([backendEntry('local', sim)]));
});

after(async () => {
  await harness.close();
  await sim.stop();
});

test("a scrape that prefers OpenMetrics gets it, with the latest request id of each duration bucket as exemplar", async () => {
  await chat(harness.url, chatBody('llama3:8b'), { 'x-request-id': 'exemplar-json-1' });
  await chat(harness.url, chatBody('llama3:8b', { stream: true }), { 'x-request-id': 'exemplar-stream-2' });
  const response = await fetch(`${harness.url}/metrics`, { headers: { accept: PROMETHEUS_ACCEPT } });
  assert.equal(response.headers.get('content-type'), 'application/openmetrics-text; version=1.0.0; charset=utf-8');
  const text = await response.text();
  assert.ok(text.endsWith('# EOF\n'));
  assert.match(text, /^# TYPE nexus_requests counter$/m, 'counter families are named without _total');
  const exemplarLines = text.split('\n').filter((line) => line.startsWith('nexus_request_duration_seconds_bucket') && line.includes(' # {request_id="'));
  assert.ok(exemplarLines.some((line) => line.includes('request_id="exemplar-stream-2"')), 'the latest request of its bucket');
  const plain = await (await fetch(`${harness.url}/metrics`)).text();
  assert.ok(!plain.includes('# EOF') && !plain.includes('request_id='), 'without Accept it stays 0.0.4, no exemplars');
});

test('a real Prometheus stores the exemplars and gives the request ids back', { skip: hasTool('prometheus') ? false : missingToolReason('prometheus', 'prometheus') }, async () => {
  const prometheus = await PrometheusServer.start({ targets: [new URL(harness.url).host], jobName: 'nexus', features: ['exemplar-storage'] });
  try {
    await prometheus.waitForScrapes('nexus', 1);
    for (let i = 0; i < 5; i++) await chat(harness.url, chatBody('llama3:8b'), { 'x-request-id': `prom-exemplar-${i}` });
    await prometheus.waitForScrapes('nexus', 2);
    const now = Date.now() / 1000;
    const url = `${prometheus.url}/api/v1/query_exemplars?query=${encodeURIComponent('nexus_request_duration_seconds_bucket')}&start=${now - 300}&end=${now + 60}`;
    const body = (await (await fetch(url)).json()) as { status: string; data: { exemplars: { labels: Record<string, string> }[] }[] };
    assert.equal(body.status, 'success');
    const ids = body.data.flatMap((series) => series.exemplars.map((e) => e.labels.request_id));
    assert.ok(ids.includes('prom-exemplar-4'), `request ids read back: ${ids.join(', ')}`);
  } finally {
    await prometheus.stop();
  }
});
