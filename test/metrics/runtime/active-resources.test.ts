import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Registry } from '../../../src/metrics/index.js';
import { registerActiveResourceMetrics } from '../../../src/metrics/runtime/active-resources.js';
import { parsePrometheusText, sampleValue, sumSamples, type Family } from '../../support/prometheus-text.js';

function typesOf(family: Family | undefined): string[] {
  return (family?.samples ?? []).map((s) => s.labels.type as string);
}

test('a listening server shows as TCPServerWrap resource and Server handle, and its series goes away once closed', async () => {
  const registry = new Registry();
  registerActiveResourceMetrics(registry);
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  let parsed = parsePrometheusText(registry.render());
  assert.ok(typesOf(parsed.get('nodejs_active_resources')).includes('TCPServerWrap'));
  assert.ok((sampleValue(parsed, 'nodejs_active_handles', { type: 'Server' }) as number) >= 1);
  await new Promise((resolve) => server.close(resolve));
  // 'close' is emitted before libuv has finished closing the handle: give it a few turns.
  for (let i = 0; i < 100 && process.getActiveResourcesInfo().includes('TCPServerWrap'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  parsed = parsePrometheusText(registry.render());
  assert.ok(!typesOf(parsed.get('nodejs_active_resources')).includes('TCPServerWrap'));
  assert.ok(!typesOf(parsed.get('nodejs_active_handles')).includes('Server'));
});

test('each total equals the sum of its by-type series', async () => {
  const registry = new Registry();
  registerActiveResourceMetrics(registry);
  const timer = setInterval(() => undefined, 1000);
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const parsed = parsePrometheusText(registry.render());
    for (const what of ['resources', 'handles', 'requests']) {
      assert.equal(sumSamples(parsed, `nodejs_active_${what}`), sampleValue(parsed, `nodejs_active_${what}_total`), what);
    }
    assert.ok((sampleValue(parsed, 'nodejs_active_resources', { type: 'Timeout' }) as number) >= 1);
  } finally {
    clearInterval(timer);
    await new Promise((resolve) => server.close(resolve));
  }
});
