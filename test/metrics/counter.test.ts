import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/metrics/index.js';

test('unlabelled counter records directly and renders its value', () => {
  const registry = new Registry();
  const counter = registry.counter({ name: 'jobs_total', help: 'Jobs' });
  counter.inc();
  counter.inc(2.5);
  assert.equal(counter.value, 3.5);
  assert.equal(registry.render(), '# HELP jobs_total Jobs\n# TYPE jobs_total counter\njobs_total 3.5\n');
});

test('counter drops NaN, negative and infinite increments without throwing', () => {
  const counter = new Registry().counter({ name: 'c_total', help: 'c' });
  counter.inc(1);
  counter.inc(NaN);
  counter.inc(-5);
  counter.inc(Infinity);
  assert.equal(counter.value, 1);
});

test('labels() returns the same child object for the same label set', () => {
  const counter = new Registry().counter({ name: 'c_total', help: 'c', labelNames: ['a', 'b'] });
  const child = counter.labels('x', 'y');
  assert.equal(counter.labels('x', 'y'), child);
  assert.notEqual(counter.labels('x', 'z'), child);
  child.inc();
  counter.labels('x', 'y').inc(4);
  assert.equal(child.value, 5);
  assert.deepEqual(child.labelValues, ['x', 'y']);
});

test('direct inc on a labelled counter records nothing', () => {
  const registry = new Registry();
  const counter = registry.counter({ name: 'c_total', help: 'c', labelNames: ['a'] });
  counter.inc(3);
  assert.equal(registry.render(), '# HELP c_total c\n# TYPE c_total counter\n');
});
