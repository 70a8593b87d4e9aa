import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { collectDefaultMetrics, Registry as PromRegistry } from 'prom-client';
import { Registry } from '../../../src/metrics/index.js';
import { registerEventLoopMetrics } from '../../../src/metrics/runtime/event-loop-metrics.js';
import { parsePrometheusText, sampleValue } from '../../support/prometheus-text.js';
import { renderPromClient } from '../../support/prom-client-text.js';

const STATISTICS = ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'];

function lagOf(text: string): number {
  return sampleValue(parsePrometheusText(text), 'nodejs_eventloop_lag_seconds') as number;
}

function blockLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy-wait: the point is to keep the event loop from reaching its check phase.
  }
}

const nextCheckPhase = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('lag reads 0 until a probe scheduled by a scrape has run, as in prom-client', () => {
  const registry = new Registry();
  const stop = registerEventLoopMetrics(registry);
  try {
    assert.equal(lagOf(registry.render()), 0);
    // Same turn: the probe of the first scrape has not reached the check phase yet.
    assert.equal(lagOf(registry.render()), 0);
  } finally {
    stop();
  }
});

test('lag is the time from a scrape to the next check phase: blocking 50 ms after a scrape reads >= 0.04 s, like prom-client', async () => {
  const registry = new Registry();
  const stop = registerEventLoopMetrics(registry);
  const promRegistry = new PromRegistry();
  collectDefaultMetrics({ register: promRegistry });
  try {
    registry.render();
    const theirFirst = renderPromClient(promRegistry);
    blockLoop(50);
    await theirFirst;
    await nextCheckPhase();
    const ours = lagOf(registry.render());
    const theirs = lagOf(await renderPromClient(promRegistry));
    assert.ok(ours >= 0.04, `ours ${ours}`);
    assert.ok(theirs >= 0.04, `prom-client ${theirs}`);
    assert.ok(Number.isFinite(ours));
  } finally {
    stop();
  }
});

test('delay statistics cover the window since the previous scrape and are ordered', async () => {
  const registry = new Registry();
  const stop = registerEventLoopMetrics(registry, 1);
  try {
    registry.render();
    // A long block is one long delay sample, whatever else the machine is doing.
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      blockLoop(30);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
    const parsed = parsePrometheusText(registry.render());
    const value = (s: string): number => sampleValue(parsed, `nodejs_eventloop_lag_${s}_seconds`) as number;
    for (const s of STATISTICS) assert.ok(Number.isFinite(value(s)) && value(s) >= 0, s);
    assert.ok(value('max') >= 0.025);
    assert.ok(value('min') <= value('p50') && value('p50') <= value('p90') && value('p90') <= value('p99') && value('p99') <= value('max'));
  } finally {
    stop();
  }
});

test('an empty window keeps the previous statistics instead of the histogram sentinels', async () => {
  const registry = new Registry();
  const stop = registerEventLoopMetrics(registry, 1);
  try {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const first = parsePrometheusText(registry.render());
    // Same turn: no sample can have been taken since the reset.
    const second = parsePrometheusText(registry.render());
    for (const s of STATISTICS) {
      const name = `nodejs_eventloop_lag_${s}_seconds`;
      assert.equal(sampleValue(second, name), sampleValue(first, name), name);
    }
  } finally {
    stop();
  }
});

test('stop cancels a pending probe', async () => {
  const registry = new Registry();
  const stop = registerEventLoopMetrics(registry);
  registry.render();
  stop();
  blockLoop(10);
  await nextCheckPhase();
  assert.equal(lagOf(registry.render()), 0);
  stop();
});
