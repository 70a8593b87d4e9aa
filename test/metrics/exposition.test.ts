import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeLabelValue, formatNumber, Registry } from '../../src/metrics/index.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';

test('label values escape backslash, quote and newline only', () => {
  assert.equal(escapeLabelValue('plain'), 'plain');
  assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  assert.equal(escapeLabelValue('tab\there é 😀'), 'tab\there é 😀');
});

test('numbers are spelled as Prometheus parses them', () => {
  assert.equal(formatNumber(Infinity), '+Inf');
  assert.equal(formatNumber(-Infinity), '-Inf');
  assert.equal(formatNumber(NaN), 'NaN');
  assert.equal(formatNumber(3), '3');
  assert.equal(formatNumber(0.1), '0.1');
  assert.equal(formatNumber(1e-7), '1e-7');
  assert.equal(formatNumber(-2.5), '-2.5');
});

test('awkward label values and help text survive a round trip through a strict parser', () => {
  const registry = new Registry();
  const values = ['back\\slash', 'dq"uote', 'new\nline', 'unicodé 😀 模型', '', '\\n literally', '}{,="'];
  const counter = registry.counter({ name: 'weird_total', help: 'Help with \\ backslash\nand newline "quotes"', labelNames: ['v'] });
  values.forEach((v, i) => counter.labels(v).inc(i + 1));
  const text = registry.render();
  assert.match(text, /^# HELP weird_total Help with \\\\ backslash\\nand newline "quotes"$/m);
  const parsed = parsePrometheusText(text);
  assert.equal(parsed.get('weird_total')?.help, 'Help with \\ backslash\nand newline "quotes"');
  values.forEach((v, i) => assert.equal(sampleValue(parsed, 'weird_total', { v }), i + 1, JSON.stringify(v)));
});
