import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OVERFLOW_LABEL_VALUE, Registry } from '../../src/metrics/index.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';

test('label sets that would collide when joined stay separate series', () => {
  const registry = new Registry();
  const counter = registry.counter({ name: 'c_total', help: 'c', labelNames: ['a', 'b'] });
  counter.labels('a|', '').inc(1);
  counter.labels('a', '|').inc(2);
  counter.labels('a\u0000', '').inc(3);
  counter.labels('a', '\u0000').inc(4);
  assert.equal(counter.size, 4);
  const parsed = parsePrometheusText(registry.render());
  assert.equal(sampleValue(parsed, 'c_total', { a: 'a|', b: '' }), 1);
  assert.equal(sampleValue(parsed, 'c_total', { a: 'a', b: '|' }), 2);
  assert.equal(sampleValue(parsed, 'c_total', { a: 'a\u0000', b: '' }), 3);
  assert.equal(sampleValue(parsed, 'c_total', { a: 'a', b: '\u0000' }), 4);
});

test('lookups of every arity return the child created first', () => {
  const registry = new Registry();
  for (const arity of [1, 2, 3, 4, 5]) {
    const names = Array.from({ length: arity }, (_, i) => `l${i}`);
    const counter = registry.counter({ name: `arity_${arity}_total`, help: 'h', labelNames: names });
    const values = names.map((n) => n + '-value');
    const child = counter.labels(...values);
    child.inc();
    assert.equal(counter.labels(...values), child);
    assert.equal(counter.find(...values), child);
    assert.equal(counter.find(...values.map((v) => v + 'x')), undefined);
    const other = counter.labels(...values.map((v, i) => (i === arity - 1 ? 'other' : v)));
    assert.notEqual(other, child);
  }
});

test('a wrong number of label values throws a clear error', () => {
  const counter = new Registry().counter({ name: 'c_total', help: 'c', labelNames: ['a', 'b'] });
  assert.throws(() => counter.labels('only-one'), /expected 2 label value\(s\) \(a, b\), got 1/);
  assert.equal(counter.find('only-one'), undefined);
});

test('label sets beyond the cap fold into one overflow series', () => {
  const registry = new Registry({ maxSeriesPerMetric: 3 });
  const counter = registry.counter({ name: 'c_total', help: 'c', labelNames: ['model', 'backend'] });
  for (let i = 0; i < 100; i++) counter.labels(`m${i}`, 'b').inc();
  assert.equal(counter.size, 3);
  assert.equal(counter.overflowed, true);
  const overflow = counter.labels('m50', 'b');
  assert.equal(counter.labels('m99', 'b'), overflow);
  assert.deepEqual(overflow.labelValues, [OVERFLOW_LABEL_VALUE, OVERFLOW_LABEL_VALUE]);
  const parsed = parsePrometheusText(registry.render());
  assert.equal(sampleValue(parsed, 'c_total', { model: '_overflow', backend: '_overflow' }), 97);
  assert.equal(parsed.get('c_total')?.samples.length, 4);
  // Existing series keep recording after the cap is reached.
  counter.labels('m0', 'b').inc();
  assert.equal(counter.labels('m0', 'b').value, 2);
});

test('asking for the overflow label values returns the overflow series itself', () => {
  const counter = new Registry().counter({ name: 'c_total', help: 'c', labelNames: ['a'], maxSeries: 2 });
  const asked = counter.labels(OVERFLOW_LABEL_VALUE);
  counter.labels('x');
  counter.labels('y');
  assert.equal(counter.labels('z'), asked);
  assert.equal(counter.size, 2);
  assert.equal(counter.series().length, 3);
});

test('series are listed in sorted label order regardless of creation order', () => {
  const counter = new Registry().counter({ name: 'c_total', help: 'c', labelNames: ['a', 'b'] });
  counter.labels('b', '1');
  counter.labels('a', '2');
  counter.labels('a', '1');
  counter.labels('b', '1');
  assert.deepEqual(
    counter.series().map((s) => s.labelValues.join(',')),
    ['a,1', 'a,2', 'b,1'],
  );
});

test('non-string label values from untyped callers are stored as strings', () => {
  const counter = new Registry().counter({ name: 'c_total', help: 'c', labelNames: ['status'] });
  const child = counter.labels(200 as unknown as string);
  assert.equal(counter.labels('200'), child);
  assert.deepEqual(child.labelValues, ['200']);
});

test('maxSeries must be a positive integer', () => {
  assert.throws(() => new Registry().counter({ name: 'c_total', help: 'c', maxSeries: 0 }), /maxSeries/);
});

test('clear removes every labelled series and later lookups start fresh series', () => {
  const registry = new Registry();
  const gauge = registry.gauge({ name: 'types', help: 'h', labelNames: ['type'], maxSeries: 1 });
  const old = gauge.labels('Socket');
  old.set(3);
  gauge.labels('Timer').set(1);
  assert.equal(gauge.overflowed, true);
  gauge.clear();
  assert.equal(gauge.size, 0);
  assert.equal(gauge.overflowed, false);
  assert.equal(gauge.find('Socket'), undefined);
  assert.equal(registry.render(), '# HELP types h\n# TYPE types gauge\n');
  gauge.labels('Timer').set(2);
  assert.notEqual(gauge.labels('Timer'), old);
  assert.equal(sampleValue(parsePrometheusText(registry.render()), 'types', { type: 'Timer' }), 2);
  const unlabelled = registry.gauge({ name: 'one', help: 'h' });
  unlabelled.set(5);
  unlabelled.clear();
  assert.equal(unlabelled.value, 5);
});
