import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapSpaceStatistics } from 'node:v8';
import { Registry } from '../../../src/metrics/index.js';
import { registerHeapSizeMetrics, registerHeapSpaceMetrics, toHeapSpaceLabel } from '../../../src/metrics/runtime/heap-metrics.js';
import { parsePrometheusText, sampleValue } from '../../support/prometheus-text.js';

test('heap space labels are the V8 space name up to _space, as prom-client cuts them', () => {
  assert.equal(toHeapSpaceLabel('new_space'), 'new');
  assert.equal(toHeapSpaceLabel('code_large_object_space'), 'code_large_object');
  assert.equal(toHeapSpaceLabel('read_only_space'), 'read_only');
  assert.equal(toHeapSpaceLabel('mystery'), '');
});

test('every V8 heap space has total, used and available series, used never above total', () => {
  const registry = new Registry();
  registerHeapSpaceMetrics(registry);
  const parsed = parsePrometheusText(registry.render());
  const spaces = getHeapSpaceStatistics().map((s) => toHeapSpaceLabel(s.space_name));
  assert.ok(spaces.includes('new') && spaces.includes('old'));
  for (const space of spaces) {
    const total = sampleValue(parsed, 'nodejs_heap_space_size_total_bytes', { space });
    const used = sampleValue(parsed, 'nodejs_heap_space_size_used_bytes', { space });
    assert.ok(total !== undefined && used !== undefined, space);
    assert.ok(used <= total, space);
    assert.ok(sampleValue(parsed, 'nodejs_heap_space_size_available_bytes', { space }) !== undefined, space);
  }
});

test('heap size, heap used and external memory come from one memoryUsage sample', () => {
  const registry = new Registry();
  registerHeapSizeMetrics(registry);
  const parsed = parsePrometheusText(registry.render());
  const total = sampleValue(parsed, 'nodejs_heap_size_total_bytes') as number;
  const used = sampleValue(parsed, 'nodejs_heap_size_used_bytes') as number;
  assert.ok(used > 0 && used <= total);
  assert.ok((sampleValue(parsed, 'nodejs_external_memory_bytes') as number) > 0);
  assert.deepEqual(
    registry.metrics().map((m) => m.name),
    ['nodejs_heap_size_total_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_external_memory_bytes'],
  );
});
