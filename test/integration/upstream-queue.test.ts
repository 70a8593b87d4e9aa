// backends[].max_connections: requests beyond the cap wait for a connection, visibly: counted in
// nexus_upstream_queued while they wait, their wait is gateway overhead, and their first-byte time
// (and first-byte timer) starts only when they are sent.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { backendEntry, chat, chatBody, startGateway, testConfig, waitFor, type Harness } from '../support/gateway-harness.js';
import { parsePrometheusText, sampleValue, sumSamples } from '../support/prometheus-text.js';

let sim: SimulatedBackend;
let harness: Harness;

before(async () => {
  sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'], latencyMs: 300 });
  harness = await startGateway(
    testConfig([backendEntry('capped', sim, { max_connections: 2 })], (c) => {
      c.routing.attempt_timeout_seconds = 0.5;
      c.server.request_timeout_seconds = 10;
    }),
  );
});

after(async () => {
  await harness.close();
  await sim.stop();
});

async function scrape(): Promise<ReturnType<typeof parsePrometheusText>> {
  return parsePrometheusText(await (await fetch(`${harness.url}/metrics`)).text());
}

test('requests over max_connections wait in nexus_upstream_queued, and their wait is not backend time', async () => {
  const before = await scrape();
  const replies = Promise.all(Array.from({ length: 6 }, () => chat(harness.url, chatBody('m'))));
  let peak = 0;
  await waitFor(() => {
    void scrape().then((m) => (peak = Math.max(peak, sampleValue(m, 'nexus_upstream_queued', { backend: 'capped' }) ?? 0)));
    return peak >= 4;
  }, 3000);
  const statuses = (await replies).map((r) => r.status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200], 'queued requests are served, and their 0.5 s attempt timer only starts when they are sent');
  const after = await scrape();
  assert.equal(sampleValue(after, 'nexus_upstream_queued', { backend: 'capped' }), 0);
  assert.equal(sampleValue(after, 'nexus_pending_requests', { backend: 'capped' }), 0);
  const delta = (name: string, labels: Record<string, string> = {}): number => sumSamples(after, name, labels) - sumSamples(before, name, labels);
  assert.equal(delta('nexus_upstream_first_byte_seconds_count', { backend: 'capped' }), 6);
  assert.equal(delta('nexus_upstream_first_byte_seconds_bucket', { backend: 'capped', le: '0.5' }), 6, 'first byte measured from sending: about 0.3 s each, never 0.6 or 0.9');
  // Two requests waited one turn (about 0.3 s) and two waited two turns: about 1.8 s of queueing in all.
  assert.ok(delta('nexus_gateway_overhead_seconds_sum') >= 1.2, `the wait for a connection is gateway overhead (${delta('nexus_gateway_overhead_seconds_sum')} s)`);
  const backends = (await (await fetch(`${harness.url}/v1/backends`)).json()) as { backends: { queued: number; max_connections: number | null }[] };
  assert.equal(backends.backends[0]?.max_connections, 2);
  assert.equal(backends.backends[0]?.queued, 0);
});
