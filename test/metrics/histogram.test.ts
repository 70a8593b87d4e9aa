import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Histogram, Registry, type ExpositionFormat, type HistogramSeries } from '../../src/metrics/index.js';
import { parseOpenMetrics } from './openmetrics-text.js';

test('histogram counts a value equal to a bound in that bucket', () => {
  const h = new Histogram({ name: 'h', help: 'h', buckets: [1, 2, 5] });
  h.observe(1);
  h.observe(2);
  h.observe(2.0001);
  h.observe(100);
  const series = h.labels();
  assert.deepEqual(Array.from(series.bucketCounts), [1, 1, 1, 1]);
  assert.deepEqual(series.cumulativeCounts(), [1, 2, 3, 4]);
  assert.equal(series.count, 4);
  assert.ok(Math.abs(series.sum - 105.0001) < 1e-9);
});

test('histogram drops NaN but records infinities in the +Inf bucket', () => {
  const h = new Histogram({ name: 'h', help: 'h', buckets: [1] });
  h.observe(NaN);
  h.observe(Infinity);
  h.observe(-Infinity);
  const series = h.labels();
  assert.equal(series.count, 2);
  assert.deepEqual(Array.from(series.bucketCounts), [1, 1]);
});

test('histogram renders cumulative buckets, +Inf equal to _count, then _sum and _count', () => {
  const registry = new Registry();
  const h = registry.histogram({ name: 'req_seconds', help: 'Request time', labelNames: ['model'], buckets: [0.1, 0.5] });
  h.labels('m').observe(0.05);
  h.labels('m').observe(0.3);
  h.labels('m').observe(3);
  assert.equal(
    registry.render(),
    [
      '# HELP req_seconds Request time',
      '# TYPE req_seconds histogram',
      'req_seconds_bucket{model="m",le="0.1"} 1',
      'req_seconds_bucket{model="m",le="0.5"} 2',
      'req_seconds_bucket{model="m",le="+Inf"} 3',
      'req_seconds_sum{model="m"} 3.35',
      'req_seconds_count{model="m"} 3',
      '',
    ].join('\n'),
  );
});

test('histogram uses default buckets when none are given', () => {
  const h = new Histogram({ name: 'h', help: 'h' });
  assert.deepEqual(h.buckets, [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
});

test('histogram rejects unsorted, duplicate, empty and non-finite buckets at creation', () => {
  for (const buckets of [[2, 1], [1, 1], [], [1, Infinity], [NaN], [1, '2' as unknown as number]]) {
    assert.throws(() => new Histogram({ name: 'h', help: 'h', buckets }), { name: 'MetricDefinitionError' }, `buckets ${String(buckets)}`);
  }
});

test('histogram reserves the le label', () => {
  assert.throws(() => new Histogram({ name: 'h', help: 'h', labelNames: ['le'] }), /reserved/);
});

test('each bucket keeps the latest exemplar that landed in it', () => {
  const registry = new Registry();
  const h = registry.histogram({ name: 'lat_seconds', help: 'h', labelNames: ['model'], buckets: [0.1, 1], exemplarLabel: 'request_id' });
  const series = h.labels('m');
  series.observeWithExemplar(0.05, 'first', 100);
  series.observeWithExemplar(0.07, 'second', 101);
  series.observe(0.08);
  series.observeWithExemplar(0.5, 'middle', 102);
  series.observeWithExemplar(7, 'slow', 103);
  assert.deepEqual(series.exemplarLabels, ['second', 'middle', 'slow']);
  assert.deepEqual(Array.from(series.exemplarValues ?? []), [0.07, 0.5, 7]);
  assert.deepEqual(Array.from(series.exemplarTimes ?? []), [101, 102, 103]);
  assert.deepEqual(series.cumulativeCounts(), [3, 4, 5]);
  const text = registry.render('openmetrics');
  assert.match(text, /^lat_seconds_bucket\{model="m",le="0\.1"\} 3 # \{request_id="second"\} 0\.07 101$/m);
  assert.match(text, /^lat_seconds_bucket\{model="m",le="1\.0"\} 4 # \{request_id="middle"\} 0\.5 102$/m);
  assert.match(text, /^lat_seconds_bucket\{model="m",le="\+Inf"\} 5 # \{request_id="slow"\} 7 103$/m);
  assert.ok(!registry.render().includes('#  {'), 'text 0.0.4 never shows exemplars');
  assert.ok(!registry.render().includes('request_id'));
});

test('an exemplar that cannot be shown is skipped while its value is still counted', () => {
  const h = new Histogram({ name: 'h', help: 'h', buckets: [1], exemplarLabel: 'request_id' });
  const series = h.labels();
  h.observeWithExemplar(0.5, 'kept', 1);
  h.observeWithExemplar(0.6, 'x'.repeat(119), 2);
  h.observeWithExemplar(0.7, '', 3);
  h.observeWithExemplar(0.8, 'no-time', NaN);
  h.observeWithExemplar(0.9, 'inf-time', Infinity);
  h.observeWithExemplar(NaN, 'nan-value', 4);
  assert.equal(series.count, 5);
  assert.deepEqual(series.exemplarLabels, ['kept', '']);
  h.observeWithExemplar(0.95, 'x'.repeat(118), 5);
  assert.equal(series.exemplarLabels?.[0], 'x'.repeat(118));
});

test('an exemplar without a timestamp is stamped with the current time in seconds', () => {
  const h = new Histogram({ name: 'h', help: 'h', buckets: [1], exemplarLabel: 'trace_id' });
  const before = Date.now() / 1000;
  h.observeWithExemplar(3, 'abc');
  const after = Date.now() / 1000;
  const stamped = h.labels().exemplarTimes?.[1] ?? 0;
  assert.ok(stamped >= before && stamped <= after, `${stamped} within [${before}, ${after}]`);
});

test('a histogram without an exemplar label records observeWithExemplar as a plain observation', () => {
  const registry = new Registry();
  const h = registry.histogram({ name: 'h', help: 'h', labelNames: ['a'], buckets: [1] });
  h.labels('x').observeWithExemplar(0.5, 'ignored', 1);
  h.observeWithExemplar(0.5, 'direct on a labelled family is a no-op');
  assert.equal(h.labels('x').count, 1);
  assert.equal(h.labels('x').exemplarLabels, null);
  assert.equal(h.exemplarLabel, null);
  assert.ok(!registry.render('openmetrics').includes('ignored'));
});

test('a bad exemplar label name is refused when the histogram is built', () => {
  assert.throws(() => new Histogram({ name: 'h', help: 'h', exemplarLabel: 'bad-name' }), { name: 'MetricDefinitionError' });
  assert.throws(() => new Histogram({ name: 'h', help: 'h', exemplarLabel: '__reserved' }), { name: 'MetricDefinitionError' });
  assert.throws(() => new Histogram({ name: 'h', help: 'h', exemplarLabel: 'x'.repeat(128) }), /no room/);
});

test('with a negative bound OpenMetrics shows buckets only, text 0.0.4 keeps _sum and _count', () => {
  const registry = new Registry();
  registry.histogram({ name: 'delta', help: 'h', buckets: [-1, 0, 1] }).observe(-3);
  assert.equal(
    registry.render('openmetrics'),
    '# TYPE delta histogram\n# HELP delta h\ndelta_bucket{le="-1.0"} 1\ndelta_bucket{le="0.0"} 1\ndelta_bucket{le="1.0"} 1\ndelta_bucket{le="+Inf"} 1\n# EOF\n',
  );
  parseOpenMetrics(registry.render('openmetrics'));
  assert.match(registry.render(), /^delta_sum -3$/m);
  assert.match(registry.render(), /^delta_count 1$/m);
});

test('invalidate() makes a render show counts written directly into the series', () => {
  const registry = new Registry();
  const series = registry.histogram({ name: 'h', help: 'h', buckets: [1] }).labels();
  series.observe(0.5);
  assert.match(registry.render(), /^h_bucket\{le="1"\} 1$/m);
  series.bucketCounts[0] = 7;
  series.sum = 3.5;
  assert.match(registry.render(), /^h_bucket\{le="1"\} 1$/m, 'the cache is keyed on count');
  series.invalidate();
  assert.match(registry.render(), /^h_bucket\{le="1"\} 7$/m);
  assert.match(registry.render('openmetrics'), /^h_sum 3\.5$/m);
});

type Step = { kind: 'observe'; value: number; times: number } | { kind: 'exemplar'; value: number; label: string; time: number } | { kind: 'render'; format: ExpositionFormat };

function applyStep(series: HistogramSeries, step: Step): void {
  if (step.kind === 'observe') for (let i = 0; i < step.times; i++) series.observe(step.value);
  else if (step.kind === 'exemplar') series.observeWithExemplar(step.value, step.label, step.time);
}

test('the cached text patched across scrapes always equals a fresh render of the same state', () => {
  const value = fc.oneof(fc.double({ min: -50, max: 5000, noNaN: true }), fc.integer({ min: 0, max: 200 }).map((n) => n / 8), fc.constantFrom(1e12, 0.1 + 0.2, Infinity));
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('observe' as const), value, times: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 400 })) }),
    fc.record({ kind: fc.constant('exemplar' as const), value, label: fc.string({ unit: 'binary', maxLength: 12 }), time: fc.oneof(fc.integer({ min: 0, max: 2e9 }), fc.double({ min: 1e9, max: 2e9, noNaN: true })) }),
    fc.record({ kind: fc.constant('render' as const), format: fc.constantFrom<ExpositionFormat>('prometheus', 'openmetrics') }),
  );
  const build = (): { registry: Registry; series: HistogramSeries } => {
    const registry = new Registry();
    const h = registry.histogram({ name: 'h_seconds', help: 'h', labelNames: ['model'], buckets: [-1, 0.5, 1, 10, 1000], exemplarLabel: 'request_id' });
    return { registry, series: h.labels('m"odel') };
  };
  fc.assert(
    fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      const live = build();
      for (let i = 0; i < steps.length; i++) {
        const s = steps[i] as Step;
        applyStep(live.series, s);
        if (s.kind !== 'render') continue;
        const fresh = build();
        for (let j = 0; j <= i; j++) applyStep(fresh.series, steps[j] as Step);
        assert.equal(live.registry.render(s.format), fresh.registry.render(s.format));
      }
    }),
    { numRuns: 400 },
  );
});
