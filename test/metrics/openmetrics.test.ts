import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCanonicalNumber, MAX_EXEMPLAR_LABEL_CHARS, Registry } from '../../src/metrics/index.js';
import { fitsExemplarLimit, toOpenMetricsCounterSampleName, toOpenMetricsFamilyName, renderOpenMetricsHeader } from '../../src/metrics/openmetrics.js';
import { parseOpenMetrics } from './openmetrics-text.js';

test('le bounds are spelled as the canonical numbers of the OpenMetrics specification', () => {
  // The specification's own lists: 0.0 to 10.0, and the powers of ten from 1e-10 to 1e+10.
  const cases: [number, string][] = [
    [0, '0.0'], [0.001, '0.001'], [0.002, '0.002'], [0.01, '0.01'], [0.1, '0.1'], [0.9, '0.9'], [0.95, '0.95'],
    [0.99, '0.99'], [0.999, '0.999'], [1, '1.0'], [1.7, '1.7'], [10, '10.0'],
    [1e-10, '1e-10'], [1e-9, '1e-09'], [1e-5, '1e-05'], [0.0001, '0.0001'], [100000, '100000.0'], [1e6, '1e+06'], [1e10, '1e+10'],
    [1e23, '1e+23'], [1.1e23, '1.1e+23'], [300, '300.0'], [128000, '128000.0'], [0.00005, '5e-05'], [0.25, '0.25'],
    [-1, '-1.0'], [-0.5, '-0.5'], [1234567, '1.234567e+06'], [Infinity, '+Inf'], [-Infinity, '-Inf'], [NaN, 'NaN'],
  ];
  for (const [n, expected] of cases) assert.equal(formatCanonicalNumber(n), expected, String(n));
});

test('counter families drop _total in OpenMetrics while their samples keep it', () => {
  assert.equal(toOpenMetricsFamilyName('nexus_requests_total', 'counter'), 'nexus_requests');
  assert.equal(toOpenMetricsFamilyName('nexus_backends_total', 'gauge'), 'nexus_backends_total');
  assert.equal(toOpenMetricsFamilyName('nexus_tokens_total', 'histogram'), 'nexus_tokens_total');
  assert.equal(toOpenMetricsCounterSampleName('nexus_requests_total'), 'nexus_requests_total');
  assert.equal(toOpenMetricsCounterSampleName('restarts'), 'restarts_total');
});

test('a counter named without _total gets the _total sample OpenMetrics requires', () => {
  const registry = new Registry();
  registry.counter({ name: 'restarts', help: 'Restarts.', labelNames: ['why'] }).labels('oom').inc(2);
  assert.equal(registry.render(), '# HELP restarts Restarts.\n# TYPE restarts counter\nrestarts{why="oom"} 2\n');
  assert.equal(registry.render('openmetrics'), '# TYPE restarts counter\n# HELP restarts Restarts.\nrestarts_total{why="oom"} 2\n# EOF\n');
  parseOpenMetrics(registry.render('openmetrics'));
});

test('OpenMetrics HELP escapes the double quote too, and parses back', () => {
  assert.equal(renderOpenMetricsHeader('x', 'say "hi" \\ now\nok', 'gauge'), '# TYPE x gauge\n# HELP x say \\"hi\\" \\\\ now\\nok\n');
  const registry = new Registry();
  registry.gauge({ name: 'x', help: 'say "hi" \\ now\nok' }).set(1);
  assert.equal(parseOpenMetrics(registry.render('openmetrics')).get('x')?.help, 'say "hi" \\ now\nok');
});

test('gauges keep +Inf, -Inf and NaN spellings in OpenMetrics', () => {
  const registry = new Registry();
  registry.gauge({ name: 'up_inf', help: 'h' }).set(Infinity);
  registry.gauge({ name: 'down_inf', help: 'h' }).set(-Infinity);
  // set() drops NaN; a series' value field can still hold one (a collector dividing by zero).
  registry.gauge({ name: 'ratio', help: 'h' }).labels().value = NaN;
  const text = registry.render('openmetrics');
  assert.match(text, /^up_inf \+Inf$/m);
  assert.match(text, /^down_inf -Inf$/m);
  assert.match(text, /^ratio NaN$/m);
  const parsed = parseOpenMetrics(text);
  assert.ok(Number.isNaN(parsed.get('ratio')?.samples[0]?.value));
});

test('the exemplar limit counts code points of the label name and value', () => {
  const name = 'request_id';
  const room = MAX_EXEMPLAR_LABEL_CHARS - name.length;
  assert.equal(fitsExemplarLimit(name, 'x'.repeat(room)), true);
  assert.equal(fitsExemplarLimit(name, 'x'.repeat(room + 1)), false);
  // An astral character is two UTF-16 units but one code point.
  assert.equal(fitsExemplarLimit(name, '😀'.repeat(room)), true);
  assert.equal(fitsExemplarLimit(name, '😀'.repeat(room + 1)), false);
  // A lone surrogate counts as one code point as well.
  assert.equal(fitsExemplarLimit(name, '\ud800'.repeat(room)), true);
  assert.equal(fitsExemplarLimit(name, 'é'.repeat(room) + '\ud83d'), false);
});
