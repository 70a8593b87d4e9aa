import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricDefinitionError, Registry } from '../../src/metrics/index.js';

test('invalid metric names throw at creation', () => {
  for (const name of ['', '1abc', 'a-b', 'a b', 'é']) {
    assert.throws(() => new Registry().counter({ name, help: 'h' }), MetricDefinitionError, name);
  }
  assert.doesNotThrow(() => new Registry().counter({ name: 'ns:sub_total', help: 'h' }));
});

test('invalid, reserved and duplicate label names throw at creation', () => {
  for (const labelNames of [['1a'], ['a-b'], ['__name'], ['a', 'a'], ['']]) {
    assert.throws(() => new Registry().counter({ name: 'c', help: 'h', labelNames }), MetricDefinitionError, String(labelNames));
  }
  assert.doesNotThrow(() => new Registry().counter({ name: 'c', help: 'h', labelNames: ['le'] }));
});

test('missing help text throws', () => {
  assert.throws(() => new Registry().gauge({ name: 'g', help: '' }), /help text is required/);
});
