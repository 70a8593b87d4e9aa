import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { Registry } from '../../../src/metrics/index.js';
import { DEFAULT_GC_DURATION_BUCKETS, registerGcMetrics, toGcKindLabel } from '../../../src/metrics/runtime/gc-metrics.js';
import { parsePrometheusText, sampleValue, sumSamples } from '../../support/prometheus-text.js';

const NO_EXPOSED_GC = 'needs node --expose-gc (scripts/run-tests.mjs passes it)';

function gcCount(registry: Registry, kind?: string): number {
  return sumSamples(parsePrometheusText(registry.render()), 'nodejs_gc_duration_seconds_count', kind === undefined ? {} : { kind });
}

/** Yields to the loop until `done()` holds, at most `turns` times: GC entries arrive asynchronously. */
async function waitFor(done: () => boolean, turns = 200): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
}

test('GC kinds are named as prom-client names them', () => {
  assert.equal(toGcKindLabel(constants.NODE_PERFORMANCE_GC_MAJOR), 'major');
  assert.equal(toGcKindLabel(constants.NODE_PERFORMANCE_GC_MINOR), 'minor');
  assert.equal(toGcKindLabel(constants.NODE_PERFORMANCE_GC_INCREMENTAL), 'incremental');
  assert.equal(toGcKindLabel(constants.NODE_PERFORMANCE_GC_WEAKCB), 'weakcb');
  assert.equal(toGcKindLabel(3), 'unknown');
});

test('a forced full GC is counted as major with prom-client buckets', async (t) => {
  const gc = globalThis.gc;
  if (gc === undefined) return t.skip(NO_EXPOSED_GC);
  const registry = new Registry();
  const stop = registerGcMetrics(registry);
  try {
    const before = gcCount(registry, 'major');
    gc();
    await waitFor(() => gcCount(registry, 'major') > before);
    assert.ok(gcCount(registry, 'major') > before);
    const parsed = parsePrometheusText(registry.render());
    const les = parsed.get('nodejs_gc_duration_seconds')!.samples.filter((s) => s.labels.kind === 'major' && s.labels.le !== undefined).map((s) => s.labels.le);
    assert.deepEqual(les, [...DEFAULT_GC_DURATION_BUCKETS.map(String), '+Inf']);
    assert.ok((sampleValue(parsed, 'nodejs_gc_duration_seconds_sum', { kind: 'major' }) as number) > 0);
  } finally {
    stop();
  }
});

test('every GC entry of a batch is counted, not only the first (prom-client reads only the first)', async () => {
  const registry = new Registry();
  const stop = registerGcMetrics(registry);
  let seen = 0;
  const witness = new PerformanceObserver((list) => (seen += list.getEntries().length));
  witness.observe({ entryTypes: ['gc'] });
  try {
    // A synchronous allocation burst: many scavenges before either observer gets a turn.
    let keep: object[] = [];
    for (let i = 0; i < 2e6; i++) {
      keep.push({ i });
      if (keep.length > 10_000) keep = [];
    }
    await waitFor(() => seen > 0 && gcCount(registry) === seen);
    assert.ok(seen > 1, `burst produced ${seen} GC entries`);
    assert.equal(gcCount(registry), seen);
  } finally {
    witness.disconnect();
    stop();
  }
});

test('stop disconnects the observer', async (t) => {
  const gc = globalThis.gc;
  if (gc === undefined) return t.skip(NO_EXPOSED_GC);
  const registry = new Registry();
  const stop = registerGcMetrics(registry);
  stop();
  let seen = 0;
  const witness = new PerformanceObserver((list) => (seen += list.getEntries().length));
  witness.observe({ entryTypes: ['gc'] });
  gc();
  await waitFor(() => seen > 0);
  witness.disconnect();
  assert.ok(seen > 0);
  assert.equal(gcCount(registry), 0);
});
