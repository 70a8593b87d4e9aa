// Declaring a metric family: a sound declaration comes back with frozen label names and its cap; a
// bad one throws MetricDefinitionError when the family is built.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAX_SERIES, validateMetricOptions } from '../../src/metrics/metric-definition.js';
import { MetricDefinitionError } from '../../src/metrics/names.js';

test('a sound declaration keeps its label names, frozen, and the default cap', () => {
  const labels = ['model', 'backend'];
  const { labelNames, maxSeries } = validateMetricOptions({ name: 'nexus_x_total', help: 'X.', labelNames: labels }, []);
  assert.deepEqual(labelNames, ['model', 'backend']);
  assert.ok(Object.isFrozen(labelNames));
  labels.push('late');
  assert.equal(labelNames.length, 2, 'a copy: the caller cannot change it afterwards');
  assert.equal(maxSeries, DEFAULT_MAX_SERIES);
  assert.equal(validateMetricOptions({ name: 'x', help: 'X.', maxSeries: 3 }, []).maxSeries, 3);
});

test('a bad name, missing help, reserved or bad label, or a bad cap throws MetricDefinitionError', () => {
  const bad = [
    () => validateMetricOptions({ name: '1bad', help: 'X.' }, []),
    () => validateMetricOptions({ name: 'x', help: '' }, []),
    () => validateMetricOptions({ name: 'x', help: 'X.', labelNames: ['le'] }, ['le']),
    () => validateMetricOptions({ name: 'x', help: 'X.', labelNames: ['a', 'a'] }, []),
    () => validateMetricOptions({ name: 'x', help: 'X.', maxSeries: 0 }, []),
    () => validateMetricOptions({ name: 'x', help: 'X.', maxSeries: 1.5 }, []),
  ];
  for (const [i, declare] of bad.entries()) assert.throws(declare, MetricDefinitionError, `case ${i}`);
});
