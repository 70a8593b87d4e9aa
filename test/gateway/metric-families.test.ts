// The bucket lists of SPEC 3 as a scrape shows them: what /metrics renders, not the constants, so a
// family declared with another list fails here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { parsePrometheusText } from '../support/prometheus-text.js';
import { backendEntry, chat, chatBody, startGateway, testConfig } from '../support/gateway-harness.js';

// SPEC 3, verbatim.
const FIRST_BYTE = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const DURATION = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const TOKENS = [10, 50, 100, 500, 1000, 4000, 8000, 16000, 32000, 64000, 128000];
const OVERHEAD = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1];

function boundsOf(families: ReturnType<typeof parsePrometheusText>, family: string): number[] {
  const samples = families.get(family)?.samples ?? [];
  const first = samples.find((s) => s.name === family + '_bucket');
  assert.ok(first !== undefined, `no buckets of ${family}`);
  const same = samples.filter((s) => s.name === family + '_bucket' && Object.entries(first.labels).every(([k, v]) => k === 'le' || s.labels[k] === v));
  return same.map((s) => s.labels.le as string).filter((le) => le !== '+Inf').map(Number);
}

test('time to first token uses the first-byte buckets of SPEC 3 (up to the 120 s first-byte timeout); the others theirs', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const harness = await startGateway(testConfig([backendEntry('gpu-1', sim)]));
  try {
    assert.equal((await chat(harness.url, chatBody('m', { stream: true }))).status, 200);
    const families = parsePrometheusText(await (await fetch(`${harness.url}/metrics`)).text());
    assert.deepEqual(boundsOf(families, 'nexus_time_to_first_token_seconds'), FIRST_BYTE);
    assert.deepEqual(boundsOf(families, 'nexus_upstream_first_byte_seconds'), FIRST_BYTE);
    assert.deepEqual(boundsOf(families, 'nexus_request_duration_seconds'), DURATION);
    assert.deepEqual(boundsOf(families, 'nexus_backend_latency_seconds'), DURATION);
    assert.deepEqual(boundsOf(families, 'nexus_tokens_total'), TOKENS);
    assert.deepEqual(boundsOf(families, 'nexus_gateway_overhead_seconds'), OVERHEAD);
  } finally {
    await harness.close();
    await sim.stop();
  }
});
