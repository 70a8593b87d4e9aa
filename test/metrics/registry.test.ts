import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Registry } from '../../src/metrics/index.js';
import { parsePrometheusText } from '../support/prometheus-text.js';
import { parseOpenMetrics } from './openmetrics-text.js';
import { projectPath } from '../support/project-root.js';
import { checkMetrics, hasPromtool, PROMTOOL_MISSING } from '../support/promtool.js';

/** A registry with every metric kind, labelled and not, exemplars included, recorded deterministically. */
function buildEveryKind(): Registry {
  const registry = new Registry();
  const requests = registry.counter({ name: 'demo_requests_total', help: 'Requests handled.', labelNames: ['model', 'status'] });
  requests.labels('llama3', '200').inc(41);
  requests.labels('gpt_4', '502').inc();
  requests.labels('llama3', '200').inc();
  registry.counter({ name: 'demo_restarts_total', help: 'Restarts.' }).inc(0);
  const pending = registry.gauge({ name: 'demo_pending_requests', help: 'In flight.', labelNames: ['backend'] });
  pending.labels('b"1').set(2);
  pending.labels('a\\0').set(0);
  registry.gauge({ name: 'demo_temperature_celsius', help: 'A value with a fraction.' }).set(-3.25);
  const duration = registry.histogram({ name: 'demo_duration_seconds', help: 'Durations.', labelNames: ['model'], buckets: [0.1, 1, 10], exemplarLabel: 'request_id' });
  const llama = duration.labels('llama3');
  llama.observeWithExemplar(0.05, 'req-a', 1700000000.001);
  llama.observeWithExemplar(0.1, 'req-b', 1700000000.002);
  llama.observe(0.7);
  llama.observeWithExemplar(3, 'req-"quoted"\\', 1700000000.5);
  llama.observeWithExemplar(42, 'req-z', 1700000001);
  registry.histogram({ name: 'demo_size_bytes', help: 'Sizes.', buckets: [100, 1000] }).observe(512);
  return registry;
}

test('render matches the golden file byte for byte', () => {
  const golden = readFileSync(projectPath('test/metrics/golden/every-kind.prom'), 'utf8');
  assert.equal(buildEveryKind().render(), golden);
});

test('OpenMetrics render matches its golden file byte for byte, exemplars included', () => {
  const golden = readFileSync(projectPath('test/metrics/golden/every-kind.om'), 'utf8');
  assert.equal(buildEveryKind().render('openmetrics'), golden);
});

test('OpenMetrics output parses strictly, counters named without _total, exemplars read back', () => {
  const parsed = parseOpenMetrics(buildEveryKind().render('openmetrics'));
  assert.deepEqual(
    [...parsed.values()].map((f) => `${f.name}:${f.type}`),
    ['demo_requests:counter', 'demo_restarts:counter', 'demo_pending_requests:gauge', 'demo_temperature_celsius:gauge', 'demo_duration_seconds:histogram', 'demo_size_bytes:histogram'],
  );
  const buckets = parsed.get('demo_duration_seconds')?.samples.filter((s) => s.name.endsWith('_bucket')) ?? [];
  assert.deepEqual(
    buckets.map((b) => b.exemplar?.labels.request_id),
    ['req-b', undefined, 'req-"quoted"\\', 'req-z'],
  );
  assert.deepEqual(buckets[3]?.exemplar, { labels: { request_id: 'req-z' }, value: 42, timestamp: 1700000001 });
});

test('renderBytes and render agree in both formats and OpenMetrics ends with # EOF', () => {
  const registry = buildEveryKind();
  for (const format of ['prometheus', 'openmetrics'] as const) {
    assert.equal(registry.renderBytes(format).toString('utf8'), registry.render(format));
  }
  assert.ok(registry.render('openmetrics').endsWith('\n# EOF\n'));
  assert.ok(!registry.render().includes('# EOF'));
});

test('rendered output parses strictly with every family typed', () => {
  const parsed = parsePrometheusText(buildEveryKind().render());
  assert.deepEqual(
    [...parsed.values()].map((f) => `${f.name}:${f.type}`),
    [
      'demo_requests_total:counter',
      'demo_restarts_total:counter',
      'demo_pending_requests:gauge',
      'demo_temperature_celsius:gauge',
      'demo_duration_seconds:histogram',
      'demo_size_bytes:histogram',
    ],
  );
});

test('rendered output passes promtool check metrics', (t) => {
  if (!hasPromtool()) {
    t.skip(PROMTOOL_MISSING);
    return;
  }
  const { status, problems } = checkMetrics(buildEveryKind().render());
  assert.deepEqual(problems, []);
  assert.equal(status, 0);
});

test('duplicate names and clashing histogram sample names are refused', () => {
  const registry = new Registry();
  registry.counter({ name: 'x_total', help: 'h' });
  assert.throws(() => registry.gauge({ name: 'x_total', help: 'h' }), /clashes/);
  registry.histogram({ name: 'lat', help: 'h' });
  assert.throws(() => registry.counter({ name: 'lat_count', help: 'h' }), /clashes/);
  assert.throws(() => registry.histogram({ name: 'x_total', help: 'h' }), /clashes/);
});

test('names that would clash only in OpenMetrics are refused too', () => {
  const registry = new Registry();
  registry.counter({ name: 'jobs_total', help: 'h' });
  // OpenMetrics names the counter family `jobs`: a gauge `jobs` would be a second family of that name.
  assert.throws(() => registry.gauge({ name: 'jobs', help: 'h' }), /clashes/);
  registry.counter({ name: 'events', help: 'h' });
  // A counter without `_total` has the sample `events_total` in OpenMetrics.
  assert.throws(() => registry.gauge({ name: 'events_total', help: 'h' }), /clashes/);
});

test('get() finds a family by name and metrics() lists them in registration order', () => {
  const registry = new Registry();
  const a = registry.counter({ name: 'a_total', help: 'h' });
  const b = registry.gauge({ name: 'b', help: 'h' });
  assert.equal(registry.get('a_total'), a);
  assert.equal(registry.get('missing'), undefined);
  assert.deepEqual(registry.metrics(), [a, b]);
});

test('a registry-wide series cap applies unless a metric sets its own', () => {
  const registry = new Registry({ maxSeriesPerMetric: 5 });
  assert.equal(registry.counter({ name: 'a_total', help: 'h', labelNames: ['x'] }).maxSeries, 5);
  assert.equal(registry.counter({ name: 'b_total', help: 'h', labelNames: ['x'], maxSeries: 9 }).maxSeries, 9);
});
