// SPEC 2.1 under every routing strategy: a wedged, a 500-ing, a flapping and a never-started backend,
// each preferred beside one good backend. Every request succeeds; once the bad one is ejected (or
// found down by its health check) no request goes to it, so none waits for it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { RoutingStrategy } from '../../src/config/types.js';
import { SimulatedBackend, type SimulatedMode } from '../../src/simulator/simulated-backend.js';
import { parsePrometheusText, sampleValue, sumSamples } from '../support/prometheus-text.js';
import { backendEntry, chat, chatBody, startGateway, testConfig, totalPending, waitFor } from '../support/gateway-harness.js';

const STRATEGIES: RoutingStrategy[] = ['smart', 'round_robin', 'priority_only', 'random'];
type Fault = 'wedged' | 'error500' | 'flapping' | 'never-started';
const FAULTS: Fault[] = ['wedged', 'error500', 'flapping', 'never-started'];
// A wedged GPU: the head goes out, then nothing (JSON hits the attempt timeout, streams the first-byte one).
const MODE_OF: Record<Exclude<Fault, 'never-started'>, SimulatedMode> = { wedged: 'hang-after-headers', error500: 'error500', flapping: 'flapping' };

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function expectServedByGood(url: string, i: number): Promise<void> {
  const stream = i % 2 === 1;
  const res = await chat(url, chatBody('m', stream ? { stream: true } : {}));
  assert.equal(res.status, 200, `request ${i}: ${res.text}`);
  assert.equal(res.headers.get('x-nexus-backend'), 'good');
  if (stream) assert.ok(res.text.endsWith('data: [DONE]\n\n'), `request ${i} is a complete stream`);
  else assert.equal(res.json().object, 'chat.completion');
}

for (const strategy of STRATEGIES) {
  for (const fault of FAULTS) {
    test(`${strategy}: beside a ${fault} backend every request succeeds and, once it is out, none goes to it`, async () => {
      const good = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
      const bad = fault === 'never-started' ? null : await SimulatedBackend.start({ type: 'vllm', models: ['m'], mode: MODE_OF[fault] });
      const badEntry = bad === null
        ? { name: 'bad', url: `http://127.0.0.1:${await closedPort()}`, type: 'vllm' as const, priority: 10, models: ['m'] }
        : backendEntry('bad', bad, { priority: 10 });
      const harness = await startGateway(testConfig([badEntry, backendEntry('good', good, { priority: 50 })], (c) => {
        c.routing.strategy = strategy;
        c.routing.first_byte_timeout_seconds = 0.2;
        c.routing.attempt_timeout_seconds = 0.2;
        c.routing.outlier = { consecutive_failures: 3, base_ejection_seconds: 600 };
        c.server.request_timeout_seconds = 5;
      }));
      const backend = harness.gateway.fleet.get('bad')!;
      const isOut = (): boolean => !backend.isHealthy || backend.isEjectedAt(Date.now());
      try {
        let i = 0;
        for (; i < 80 && !isOut(); i++) await expectServedByGood(harness.url, i);
        assert.ok(isOut(), `the ${fault} backend is out after ${i} requests`);
        const seen = bad?.chatRequests ?? 0;
        for (let j = 0; j < 8; j++) await expectServedByGood(harness.url, i + j);
        assert.equal(bad?.chatRequests ?? 0, seen, 'no request reached the backend once it was out');
        await waitFor(() => totalPending(harness) === 0);

        const m = parsePrometheusText(await (await fetch(`${harness.url}/metrics`)).text());
        assert.equal(sumSamples(m, 'nexus_requests_total'), i + 8);
        assert.equal(sumSamples(m, 'nexus_requests_total', { status: '200' }), i + 8);
        assert.equal(sumSamples(m, 'nexus_upstream_attempts_total', { backend: 'bad' }), seen, 'every attempt on the bad backend is counted once');
        if (fault === 'never-started') {
          assert.equal(sampleValue(m, 'nexus_backend_up', { backend: 'bad' }), 0);
          assert.equal(sampleValue(m, 'nexus_backend_ejected', { backend: 'bad' }), 0);
        } else {
          const outcome = fault === 'wedged' ? 'timeout' : 'server_error';
          assert.equal(sumSamples(m, 'nexus_upstream_attempts_total', { backend: 'bad', outcome }), 3);
          assert.equal(sampleValue(m, 'nexus_backend_up', { backend: 'bad' }), 1, 'its health probe still passes');
          assert.equal(sampleValue(m, 'nexus_backend_ejected', { backend: 'bad' }), 1);
          assert.equal(sampleValue(m, 'nexus_backend_ejections_total', { backend: 'bad' }), 1);
          assert.equal(sampleValue(m, 'nexus_backend_ejected', { backend: 'good' }), 0);
        }
      } finally {
        await harness.close();
        await Promise.all([good.stop(), bad?.stop()]);
      }
    });
  }
}
