import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { parsePrometheusText, sampleValue, sumSamples } from '../support/prometheus-text.js';
import { checkMetrics, hasPromtool, PROMTOOL_MISSING } from '../support/promtool.js';
import { MIXED_KINDS, sendMixedLoad, startMixedFleet, type MixedFleet } from '../support/mixed-load.js';
import { backendEntry, chat, chatBody, startGateway, testConfig, totalPending, waitFor, type Harness } from '../support/gateway-harness.js';

let good: SimulatedBackend;
let flaky: SimulatedBackend;
let picky: SimulatedBackend;
let slow: SimulatedBackend;
let fleet: MixedFleet;
let harness: Harness;

before(async () => {
  fleet = await startMixedFleet((c) => {
    c.server.request_timeout_seconds = 0.3;
    c.server.stream_idle_timeout_seconds = 5;
  });
  ({ good, flaky, picky, slow } = fleet);
  harness = await startGateway(fleet.config);
});

after(async () => {
  await harness.close();
  await fleet.stop();
});

async function scrape(): Promise<ReturnType<typeof parsePrometheusText>> {
  const res = await fetch(`${harness.url}/metrics`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(await res.text());
}


test('every request of a 1,000-request concurrent mix is counted exactly once', async () => {
  good.chunkDelayMs = 1;
  const kinds = MIXED_KINDS;
  const statuses = await sendMixedLoad(harness.url, 1000);
  good.chunkDelayMs = 0;
  await waitFor(() => totalPending(harness) === 0);
  // Give the last close events a turn to run.
  await new Promise((resolve) => setTimeout(resolve, 50));

  const seen = new Map<string, number>();
  for (const s of statuses) seen.set(String(s), (seen.get(String(s)) ?? 0) + 1);
  const m = await scrape();
  assert.equal(sumSamples(m, 'nexus_requests_total'), 1000);
  for (const [status, count] of seen) assert.equal(sumSamples(m, 'nexus_requests_total', { status }), count, `status ${status}`);
  for (const s of m.get('nexus_request_duration_seconds')!.samples.filter((x) => x.name.endsWith('_count'))) {
    const requests = sumSamples(m, 'nexus_requests_total', { model: s.labels.model!, backend: s.labels.backend! });
    assert.equal(s.value, requests, `duration count of ${JSON.stringify(s.labels)}`);
  }
  const non2xx = statuses.filter((s) => s < 200 || s >= 300).length;
  assert.equal(sumSamples(m, 'nexus_errors_total'), non2xx);
  assert.equal(sumSamples(m, 'nexus_errors_total', { error_type: 'client_disconnected' }), seen.get('499') ?? 0);
  assert.equal(sumSamples(m, 'nexus_errors_total', { error_type: 'timeout' }), seen.get('504') ?? 0);
  assert.equal(sumSamples(m, 'nexus_errors_total', { error_type: 'no_backend' }), seen.get('404') ?? 0);
  assert.ok((seen.get('499') ?? 0) > 0 && (seen.get('504') ?? 0) > 0 && (seen.get('502') ?? 0) > 0);
  // A fallback is counted when it served; under load a few may hit the 0.3 s deadline first (504).
  assert.equal(sumSamples(m, 'nexus_fallbacks_total', { from_model: 'gone_model', to_model: 'qwen2_7b' }), statuses.filter((s, i) => kinds[i % kinds.length] === 'fallback' && s === 200).length);
  assert.equal(sumSamples(m, 'nexus_pending_requests'), 0);
  assert.equal(sampleValue(m, 'nexus_pending_requests', { backend: 'slow_vllm' }), 0);
  const unknownSeries = m.get('nexus_requests_total')!.samples.filter((s) => s.labels.model?.startsWith('client'));
  assert.equal(unknownSeries.length, 0);
  assert.ok(sumSamples(m, 'nexus_tokens_total_count', { type: 'completion' }) > 0);
  assert.ok(sumSamples(m, 'nexus_time_to_first_token_seconds_count') > 0);

  // Every upstream attempt counted exactly once: per backend, what the simulated backend received.
  const sims = { good_ollama: good, flaky_vllm: flaky, picky_vllm: picky, slow_vllm: slow };
  for (const [label, sim] of Object.entries(sims)) {
    assert.equal(sumSamples(m, 'nexus_upstream_attempts_total', { backend: label }), sim.chatRequests, `attempts of ${label}`);
  }
  // Each 500 is a server_error, unless the 0.3 s request deadline cut the attempt first (a loaded
  // machine): then it is a timeout, and its request was a 504.
  const flakyCut = sumSamples(m, 'nexus_upstream_attempts_total', { backend: 'flaky_vllm', outcome: 'timeout' });
  assert.ok(flakyCut <= (seen.get('504') ?? 0));
  assert.equal(sumSamples(m, 'nexus_upstream_attempts_total', { backend: 'flaky_vllm', outcome: 'server_error' }), flaky.chatRequests - flakyCut);
  assert.equal(sumSamples(m, 'nexus_upstream_attempts_total', { backend: 'picky_vllm', outcome: 'client_error' }), picky.chatRequests);
  assert.equal(sumSamples(m, 'nexus_upstream_attempts_total', { backend: 'slow_vllm', outcome: 'timeout' }), slow.chatRequests);
  assert.equal(sumSamples(m, 'nexus_upstream_attempts_total', { backend: 'good_ollama', outcome: 'cancelled' }), seen.get('499') ?? 0);
  // A first byte for every attempt that got an answer's head or an SSE byte; none from the hanging backend.
  assert.equal(sumSamples(m, 'nexus_upstream_first_byte_seconds_count', { backend: 'flaky_vllm' }), flaky.chatRequests);
  assert.equal(sumSamples(m, 'nexus_upstream_first_byte_seconds_count', { backend: 'slow_vllm' }), 0);
  // The 500-ing and the hanging backend are ejected, and still tried as the last resort of their model.
  assert.equal(sampleValue(m, 'nexus_backend_ejected', { backend: 'flaky_vllm' }), 1);
  assert.equal(sampleValue(m, 'nexus_backend_ejected', { backend: 'slow_vllm' }), 1);

  const stats = (await (await fetch(`${harness.url}/v1/stats`)).json()) as any;
  assert.equal(stats.requests.total, 1000);
  assert.equal(stats.requests.success, statuses.filter((s) => s >= 200 && s < 300).length);
  assert.equal(stats.requests.errors, non2xx);
  const slowStats = stats.backends.find((b: { id: string }) => b.id === 'slow/vllm');
  assert.equal(slowStats.requests, sumSamples(m, 'nexus_requests_total', { backend: 'slow_vllm' }));
  assert.deepEqual(stats.backends.map((b: { id: string }) => b.id), ['flaky-vllm', 'good-ollama', 'picky-vllm', 'slow/vllm']);
  const modelRequests = stats.models.map((x: { requests: number }) => x.requests);
  assert.deepEqual(modelRequests, [...modelRequests].sort((a: number, b: number) => b - a));
  assert.ok(stats.models.some((x: { name: string }) => x.name === 'llama3:8b'));
});

test('10,000 distinct unknown model names leave one _unknown series', async () => {
  const unknown = { model: '_unknown', backend: 'none', status: '404' };
  const before = sumSamples(await scrape(), 'nexus_requests_total', unknown);
  for (let batch = 0; batch < 20; batch++) {
    await Promise.all(Array.from({ length: 500 }, (_, i) => chat(harness.url, chatBody(`made-up-${batch}-${i}`))));
  }
  const m = await scrape();
  const series = m.get('nexus_requests_total')!.samples.filter((s) => s.labels.model === '_unknown' && s.labels.status === '404');
  assert.equal(series.length, 1);
  assert.equal(series[0]!.value - before, 10_000);
  assert.equal(m.get('nexus_requests_total')!.samples.filter((s) => s.labels.model?.startsWith('made')).length, 0);
  assert.equal(m.get('nexus_errors_total')!.samples.filter((s) => s.labels.model === '_unknown' && s.labels.error_type === 'no_backend').length, 1);
});

// SPEC section 3 requires names promtool's lint dislikes: the histogram nexus_tokens_total and the
// gauge nexus_backends_total (the original Nexus), and prom-client's three `_total` gauges. Every
// other line of its report must be empty.
const REQUIRED_NAME_LINTS = [
  'nexus_tokens_total ',
  'nexus_backends_total ',
  'nodejs_active_handles_total ',
  'nodejs_active_requests_total ',
  'nodejs_active_resources_total ',
];

test('/metrics passes promtool check metrics (only the lints on SPEC-required names allowed)', async (t) => {
  if (!hasPromtool()) {
    t.skip(PROMTOOL_MISSING);
    return;
  }
  const text = await (await fetch(`${harness.url}/metrics`)).text();
  const { problems } = checkMetrics(text);
  assert.deepEqual(problems.filter((p) => !REQUIRED_NAME_LINTS.some((name) => p.startsWith(name))), []);
});

test('/metrics is gzipped when the scraper accepts it', async () => {
  const res = await new Promise<http.IncomingMessage>((resolve) => http.get(`${harness.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } }, resolve));
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  assert.equal(res.headers['content-encoding'], 'gzip');
  assert.match(gunzipSync(Buffer.concat(chunks)).toString(), /^# HELP nexus_requests_total/);
});

test('stats rounds averages to one decimal and lists every backend', async () => {
  const stats = (await (await fetch(`${harness.url}/v1/stats`)).json()) as any;
  assert.equal(typeof stats.uptime_seconds, 'number');
  for (const b of stats.backends) assert.equal(Math.round(b.average_latency_ms * 10) / 10, b.average_latency_ms);
  for (const x of stats.models) assert.ok(Number.isFinite(x.average_duration_ms));
});

test('with metrics disabled both endpoints answer 503 metrics_unavailable and chat still works', async () => {
  const off = await startGateway(testConfig([backendEntry('good', good)], (c) => (c.metrics.enabled = false)));
  try {
    for (const path of ['/metrics', '/v1/stats']) {
      const res = await fetch(off.url + path);
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), { error: { message: 'Metrics collection not initialized', type: 'service_unavailable', param: null, code: 'metrics_unavailable' } });
    }
    assert.equal((await chat(off.url, chatBody('llama3:8b'))).status, 200);
  } finally {
    await off.close();
  }
});
