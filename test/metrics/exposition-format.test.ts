import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findContentType, negotiateExpositionFormat, OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE } from '../../src/metrics/index.js';

// The Accept header Prometheus 2.x sends on every scrape.
const PROMETHEUS_2_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
// Prometheus 3.x lists protobuf first, which the gateway does not speak, then OpenMetrics over text.
const PROMETHEUS_3_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1';

test('a scrape whose Accept prefers OpenMetrics gets OpenMetrics', () => {
  for (const accept of [
    PROMETHEUS_2_ACCEPT,
    PROMETHEUS_3_ACCEPT,
    'application/openmetrics-text',
    'application/openmetrics-text;version=0.0.1',
    'application/openmetrics-text;q=0.5,*/*;q=0.1',
    'text/plain;q=0,application/openmetrics-text;q=0.1',
    'Application/OpenMetrics-Text; Version="1.0.0"; q=0.9 , text/plain; q=0.8',
  ]) {
    assert.equal(negotiateExpositionFormat(accept), 'openmetrics', accept);
  }
});

test('no Accept, text/plain, wildcards, ties and unknown versions get text 0.0.4', () => {
  for (const accept of [
    undefined,
    '',
    'text/plain',
    'text/plain;version=0.0.4',
    '*/*',
    'application/json',
    'application/openmetrics-text, text/plain',
    'application/openmetrics-text;q=0.5,text/*;q=0.5',
    'application/openmetrics-text;q=0,text/plain;q=0.1',
    'application/openmetrics-text;q=0',
    'application/openmetrics-text;version=2.0.0',
    'application/openmetrics-text;q=abc,text/plain;q=0.5',
    'application/openmetrics-text;q=2',
    'application/openmetrics-text;q=0.4,*/*;q=0.9',
  ]) {
    assert.equal(negotiateExpositionFormat(accept), 'prometheus', String(accept));
  }
});

test('a header given as several values is read as one list', () => {
  assert.equal(negotiateExpositionFormat(['text/plain;q=0.5', 'application/openmetrics-text']), 'openmetrics');
  assert.equal(negotiateExpositionFormat(['text/plain']), 'prometheus');
});

test('each format has its content type', () => {
  assert.equal(findContentType('openmetrics'), 'application/openmetrics-text; version=1.0.0; charset=utf-8');
  assert.equal(findContentType('openmetrics'), OPENMETRICS_CONTENT_TYPE);
  assert.equal(findContentType('prometheus'), PROMETHEUS_CONTENT_TYPE);
});
