// The 1,000-concurrent-request exactness test of test/integration/metrics.test.ts, run against a real
// `nexus serve --workers 2` process group over HTTP: every scrape exact once load stops, stats agree.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { sampleValue, sumSamples } from '../support/prometheus-text.js';
import { MIXED_KINDS, sendMixedLoad, startMixedFleet, type MixedFleet } from '../support/mixed-load.js';
import { scrapeGroup, startCluster, type ClusterHarness } from '../support/cluster-harness.js';
import { checkMetrics, hasPromtool, PROMTOOL_MISSING } from '../support/promtool.js';
import { parseOpenMetrics } from '../metrics/openmetrics-text.js';

let good: SimulatedBackend;
let flaky: SimulatedBackend;
let picky: SimulatedBackend;
let slow: SimulatedBackend;
let fleet: MixedFleet;
let group: ClusterHarness;

before(async () => {
  fleet = await startMixedFleet((c) => {
    // 0.3 s in the single-process test, where clients, gateway and backends share one event loop and
    // so one clock. Here the workers' clocks run on while this process (1,000 clients and the streaming
    // backends) works through the load, so the deadline is generous and the hanging backend's attempts
    // time out on the per-attempt timeout instead (still 504 timeout).
    c.server.request_timeout_seconds = 20;
    c.routing.attempt_timeout_seconds = 4;
    c.server.stream_idle_timeout_seconds = 5;
  });
  ({ good, flaky, picky, slow } = fleet);
  group = await startCluster(fleet.config, 2);
});

after(async () => {
  await group.stop();
  await fleet.stop();
});


type Scrape = Awaited<ReturnType<typeof scrapeGroup>>;

// Every check of the single-process test, against one scrape of the group.
function checkExact(m: Scrape, statuses: readonly number[], kinds: readonly string[]): void {
  const seen = new Map<string, number>();
  for (const s of statuses) seen.set(String(s), (seen.get(String(s)) ?? 0) + 1);
  assert.equal(sumSamples(m, 'nexus_requests_total'), statuses.length);
  for (const [status, count] of seen) assert.equal(sumSamples(m, 'nexus_requests_total', { status }), count, `status ${status}`);
  for (const s of m.get('nexus_request_duration_seconds')!.samples.filter((x) => x.name.endsWith('_count'))) {
    assert.equal(s.value, sumSamples(m, 'nexus_requests_total', { model: s.labels.model!, backend: s.labels.backend! }), `duration count of ${JSON.stringify(s.labels)}`);
  }
  const non2xx = statuses.filter((s) => s < 200 || s >= 300).length;
  assert.equal(sumSamples(m, 'nexus_errors_total'), non2xx);
  assert.equal(sumSamples(m, 'nexus_errors_total', { error_type: 'client_disconnected' }), seen.get('499') ?? 0);
  assert.equal(sumSamples(m, 'nexus_errors_total', { error_type: 'timeout' }), seen.get('504') ?? 0);
  assert.equal(sumSamples(m, 'nexus_errors_total', { error_type: 'no_backend' }), seen.get('404') ?? 0);
  const fallbackStatuses = statuses.filter((_, i) => kinds[i % kinds.length] === 'fallback');
  assert.equal(sumSamples(m, 'nexus_fallbacks_total', { from_model: 'gone_model', to_model: 'qwen2_7b' }), fallbackStatuses.length, `fallback statuses: ${fallbackStatuses.join(',')}`);
  assert.equal(sumSamples(m, 'nexus_pending_requests'), 0);
  assert.equal(sampleValue(m, 'nexus_pending_requests', { backend: 'slow_vllm' }), 0);
  assert.equal(m.get('nexus_requests_total')!.samples.filter((s) => s.labels.model?.startsWith('client')).length, 0);
  // Every upstream attempt of both workers counted exactly once: what each simulated backend received.
  const sims = { good_ollama: good, flaky_vllm: flaky, picky_vllm: picky, slow_vllm: slow };
  for (const [label, sim] of Object.entries(sims)) {
    assert.equal(sumSamples(m, 'nexus_upstream_attempts_total', { backend: label }), sim.chatRequests, `attempts of ${label}`);
  }
  assert.equal(sumSamples(m, 'nexus_upstream_attempts_total', { backend: 'flaky_vllm', outcome: 'server_error' }), flaky.chatRequests);
  assert.equal(sumSamples(m, 'nexus_upstream_attempts_total', { backend: 'slow_vllm', outcome: 'timeout' }), slow.chatRequests);
  assert.equal(sumSamples(m, 'nexus_upstream_attempts_total', { backend: 'good_ollama', outcome: 'cancelled' }), seen.get('499') ?? 0);
  assert.equal(sumSamples(m, 'nexus_upstream_first_byte_seconds_count', { backend: 'slow_vllm' }), 0);
  // Ejection is per worker; the group shows a backend ejected while any worker ejects it.
  assert.equal(sampleValue(m, 'nexus_backend_ejected', { backend: 'flaky_vllm' }), 1);
  assert.equal(sampleValue(m, 'nexus_backend_ejected', { backend: 'slow_vllm' }), 1);
  assert.equal(sampleValue(m, 'nexus_backend_up', { backend: 'good_ollama' }), 1);
}

test('with 2 workers every request of a 1,000-request concurrent mix is counted exactly once, in every scrape once load stops', async () => {
  // 1 ms in the single-process test. Here a client that is behind may read a whole short stream in its
  // first read, so the gateway has sent it all (200) when the client aborts: 10 ms slices keep every
  // aborted stream unfinished.
  good.chunkDelayMs = 10;
  const kinds = MIXED_KINDS;
  const statuses = await sendMixedLoad(group.url, 1000);
  const loadStopped = Date.now();
  good.chunkDelayMs = 0;
  assert.ok(statuses.includes(499) && statuses.includes(504) && statuses.includes(502), `statuses seen: ${[...new Set(statuses)].join(", ")}`);

  // Within 1 s of the load stopping a scrape is exact; from then on every scrape is.
  let exactAt = -1;
  let lastError: unknown = null;
  while (Date.now() - loadStopped < 1000) {
    try {
      checkExact(await scrapeGroup(group.url), statuses, kinds);
      exactAt = Date.now() - loadStopped;
      break;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  assert.ok(exactAt >= 0, `no exact scrape within 1 s of the load stopping: ${String(lastError)}`);
  for (let i = 0; i < 5; i++) checkExact(await scrapeGroup(group.url), statuses, kinds);

  const m = await scrapeGroup(group.url);
  const stats = (await (await fetch(`${group.url}/v1/stats`)).json()) as any;
  const non2xx = statuses.filter((s) => s < 200 || s >= 300).length;
  assert.equal(stats.requests.total, 1000);
  assert.equal(stats.requests.success, 1000 - non2xx);
  assert.equal(stats.requests.errors, non2xx);
  const slowStats = stats.backends.find((b: { id: string }) => b.id === 'slow/vllm');
  assert.equal(slowStats.requests, sumSamples(m, 'nexus_requests_total', { backend: 'slow_vllm' }));
  assert.equal(slowStats.pending, 0);
  // Ejected by some worker: the group's stats show until when (the latest end over the workers).
  assert.ok(Date.parse(slowStats.ejected_until) > Date.now(), `slow/vllm ejected_until ${slowStats.ejected_until}`);
  assert.ok(slowStats.attempts.timeout > 0);
  assert.deepEqual(stats.backends.map((b: { id: string }) => b.id), ['flaky-vllm', 'good-ollama', 'picky-vllm', 'slow/vllm']);
  assert.ok(stats.models.some((x: { name: string }) => x.name === 'llama3:8b'));
  assert.ok(stats.recent_errors.length === 50, 'recent errors come from the whole group');
  // Fallbacks per pair by raw names (the requested name after its alias), merged from both workers.
  const fallbacks = sumSamples(m, 'nexus_fallbacks_total');
  assert.ok(fallbacks > 0);
  assert.deepEqual(stats.fallback_pairs, [{ from: 'gone-model', to: 'qwen2:7b', count: fallbacks }]);
  assert.equal(stats.fallbacks, fallbacks);
  // Fleet gauges come from the one health checker: 4 backends, not 8 or 12.
  assert.equal(sampleValue(m, 'nexus_backends_total', {}), 4);
  assert.equal(sampleValue(m, 'nexus_backends_healthy', {}), 4);
});

// The lints on names SPEC 3 fixes (same list as the single-process promtool test).
const REQUIRED_NAME_LINTS = ['nexus_tokens_total ', 'nexus_backends_total ', 'nodejs_active_handles_total ', 'nodejs_active_requests_total ', 'nodejs_active_resources_total '];

test('the group exposition passes promtool, and OpenMetrics carries the group newest exemplars', async (t) => {
  const open = await fetch(`${group.url}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
  assert.equal(open.headers.get('content-type'), 'application/openmetrics-text; version=1.0.0; charset=utf-8');
  const text = await open.text();
  const families = parseOpenMetrics(text);
  assert.ok(families.has('nexus_requests'), 'counter families are named without _total in OpenMetrics');
  assert.match(text, /nexus_request_duration_seconds_bucket\{[^}]*\} \d+ # \{request_id="[^"]+"\} /);
  if (!hasPromtool()) {
    t.skip(PROMTOOL_MISSING);
    return;
  }
  const { problems } = checkMetrics(await (await fetch(`${group.url}/metrics`)).text());
  assert.deepEqual(problems.filter((p) => !REQUIRED_NAME_LINTS.some((name) => p.startsWith(name))), []);
});
