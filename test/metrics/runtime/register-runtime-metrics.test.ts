import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectDefaultMetrics, Registry as PromRegistry } from 'prom-client';
import { MetricDefinitionError, Registry, registerRuntimeMetrics, RUNTIME_AGGREGATION } from '../../../src/metrics/index.js';
import { registerVersionInfo } from '../../../src/metrics/runtime/register-runtime-metrics.js';
import { parsePrometheusText, sampleValue, type Family } from '../../support/prometheus-text.js';
import { renderPromClient } from '../../support/prom-client-text.js';
import { checkMetrics, hasPromtool, PROMTOOL_MISSING } from '../../support/promtool.js';

const ON_LINUX = process.platform === 'linux';
const NOT_LINUX = 'prom-client exposes a different family set off Linux; the comparison is defined on Linux';

/** Our registry and prom-client's, each with its runtime metrics, both rendered once. */
async function renderBoth(): Promise<{ ours: Map<string, Family>; theirs: Map<string, Family>; ourRegistry: Registry; promRegistry: PromRegistry }> {
  const ourRegistry = new Registry();
  const runtime = registerRuntimeMetrics(ourRegistry);
  const promRegistry = new PromRegistry();
  collectDefaultMetrics({ register: promRegistry });
  // A GC before rendering, so both GC histograms have a series whose labels can be compared.
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const ours = parsePrometheusText(ourRegistry.render());
  const theirs = parsePrometheusText(await renderPromClient(promRegistry));
  runtime.stop();
  return { ours, theirs, ourRegistry, promRegistry };
}

/** Label names of every sample of a family, `le` excluded, sorted. */
function sampleLabelNames(family: Family): string[] {
  const names = new Set<string>();
  for (const s of family.samples) for (const name of Object.keys(s.labels)) if (name !== 'le') names.add(name);
  return [...names].sort();
}

test('registers the same families as prom-client collectDefaultMetrics, with the same types, help and labels', async (t) => {
  if (!ON_LINUX) return t.skip(NOT_LINUX);
  const { ours, theirs, ourRegistry, promRegistry } = await renderBoth();
  assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].sort());
  for (const [name, theirFamily] of theirs) {
    const ourFamily = ours.get(name) as Family;
    assert.equal(ourFamily.type, theirFamily.type, `${name} TYPE`);
    assert.equal(ourFamily.help, theirFamily.help, `${name} HELP`);
    // Declared label names cover families that have no series right now (e.g. no active requests).
    const theirLabels = (promRegistry.getSingleMetric(name) as unknown as { labelNames: string[] }).labelNames;
    assert.deepEqual(ourRegistry.get(name)?.labelNames, theirLabels, `${name} label names`);
    assert.deepEqual(sampleLabelNames(ourFamily), sampleLabelNames(theirFamily), `${name} rendered label names`);
  }
});

test('the aggregation table names every registered family with prom-client aggregator', async (t) => {
  if (!ON_LINUX) return t.skip(NOT_LINUX);
  const { ours, promRegistry } = await renderBoth();
  assert.deepEqual(Object.keys(RUNTIME_AGGREGATION).sort(), [...ours.keys()].sort());
  for (const [name, aggregator] of Object.entries(RUNTIME_AGGREGATION)) {
    assert.equal(aggregator, (promRegistry.getSingleMetric(name) as unknown as { aggregator: string }).aggregator, name);
  }
});

test('runtime metrics pass promtool check metrics apart from the three _total gauge lints SPEC 3 allows', async (t) => {
  if (!hasPromtool()) return t.skip(PROMTOOL_MISSING);
  const registry = new Registry();
  const runtime = registerRuntimeMetrics(registry);
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const { problems } = checkMetrics(registry.render());
  runtime.stop();
  const allowed = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];
  assert.deepEqual(
    problems,
    allowed.map((name) => `${name} non-counter metrics should not have "_total" suffix`),
  );
});

test('nodejs_version_info carries process.version and its numeric parts', () => {
  const registry = new Registry();
  registerVersionInfo(registry);
  const [major, minor, patch] = process.version.slice(1).split('.');
  const value = sampleValue(parsePrometheusText(registry.render()), 'nodejs_version_info', {
    version: process.version,
    major: major as string,
    minor: minor as string,
    patch: patch as string,
  });
  assert.equal(value, 1);
});

test('registering twice on one registry throws a definition error', () => {
  const registry = new Registry();
  const runtime = registerRuntimeMetrics(registry);
  assert.throws(() => registerRuntimeMetrics(registry), MetricDefinitionError);
  runtime.stop();
});

test('bad GC buckets throw a definition error', () => {
  assert.throws(() => registerRuntimeMetrics(new Registry(), { gcDurationBuckets: [1, 0.5] }), MetricDefinitionError);
});

test('custom GC buckets replace prom-client defaults', () => {
  const registry = new Registry();
  const runtime = registerRuntimeMetrics(registry, { gcDurationBuckets: [0.5, 3] });
  runtime.stop();
  runtime.stop();
  assert.deepEqual((registry.get('nodejs_gc_duration_seconds') as unknown as { buckets: number[] }).buckets, [0.5, 3]);
});
