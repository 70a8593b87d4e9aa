import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabelSanitizer, sanitizeLabelValue } from '../../src/metrics/index.js';

test('sanitizer follows the examples of the contract', () => {
  assert.equal(sanitizeLabelValue('ollama-local:11434'), 'ollama_local_11434');
  assert.equal(sanitizeLabelValue('gpt-4'), 'gpt_4');
  assert.equal(sanitizeLabelValue('123model'), '_123model');
  assert.equal(sanitizeLabelValue('backend/prod'), 'backend_prod');
  assert.equal(sanitizeLabelValue('llama3.1:8b-instruct-q4_K_M'), 'llama3_1_8b_instruct_q4_K_M');
  assert.equal(sanitizeLabelValue('already_clean'), 'already_clean');
  assert.equal(sanitizeLabelValue('9'), '_9');
  assert.equal(sanitizeLabelValue(''), '');
});

test('sanitizer turns each non-ASCII character, astral ones included, into one underscore', () => {
  assert.equal(sanitizeLabelValue('modèle'), 'mod_le');
  assert.equal(sanitizeLabelValue('a😀b'), 'a_b');
  assert.equal(sanitizeLabelValue('"quoted"\n'), '_quoted__');
});

test('cached sanitizer returns the same results as the pure function', () => {
  const sanitizer = new LabelSanitizer(4);
  for (const raw of ['gpt-4', 'gpt-4', '123model', 'a.b', 'x/y', 'gpt-4']) {
    assert.equal(sanitizer.sanitize(raw), sanitizeLabelValue(raw));
  }
});

test('sanitizer cache stays bounded when fed a million distinct strings', () => {
  const sanitizer = new LabelSanitizer(1000);
  for (let i = 0; i < 1_000_000; i++) sanitizer.sanitize(`client-model-${i}`);
  assert.ok(sanitizer.size <= 2000, `cache holds ${sanitizer.size} entries`);
  const long = 'x-'.repeat(1000);
  assert.equal(sanitizer.sanitize(long), 'x_'.repeat(1000));
  assert.ok(sanitizer.size <= 2000);
});

test('sanitizer memory stays flat across a million distinct strings', () => {
  const sanitizer = new LabelSanitizer(10_000);
  const feed = (from: number): void => {
    for (let i = from; i < from + 500_000; i++) sanitizer.sanitize(`model-${i}:latest`);
  };
  feed(0);
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  feed(500_000);
  global.gc?.();
  const growth = process.memoryUsage().heapUsed - before;
  // Without gc exposed this is only indicative; the entry bound above is the hard guarantee.
  assert.ok(growth < 16 * 1024 * 1024, `heap grew by ${growth} bytes`);
});

test('sanitizer rejects a non-positive capacity', () => {
  assert.throws(() => new LabelSanitizer(0), RangeError);
});
