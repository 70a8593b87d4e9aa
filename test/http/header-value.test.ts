import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { decodeHeaderValue, encodeHeaderValue } from '../../src/http/header-value.js';

test('plain visible-ASCII names pass through as the same string', () => {
  const name = 'llama3:8b-instruct_Q4/K_M';
  assert.equal(encodeHeaderValue(name), name);
});

test('UTF-8 bytes outside visible ASCII, spaces, controls and % become %XX', () => {
  assert.equal(encodeHeaderValue('qwen✓'), 'qwen%E2%9C%93');
  assert.equal(encodeHeaderValue('a b'), 'a%20b');
  assert.equal(encodeHeaderValue('line\r\nbreak'), 'line%0D%0Abreak');
  assert.equal(encodeHeaderValue('100%'), '100%25');
  assert.equal(encodeHeaderValue('模型'), '%E6%A8%A1%E5%9E%8B');
  assert.equal(encodeHeaderValue(''), '');
});

test('every string encodes to a legal header value that decodes back exactly', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
      const encoded = encodeHeaderValue(value);
      assert.doesNotThrow(() => validateHeaderValue('x-nexus-model', encoded));
      assert.match(encoded, /^[\x21-\x7e]*$/);
      // Lone surrogates are not UTF-8: they come back as U+FFFD, like any UTF-8 round trip.
      assert.equal(decodeHeaderValue(encoded), Buffer.from(value, 'utf8').toString('utf8'));
    }),
    { numRuns: 2000 },
  );
});

test('decoding leaves malformed escapes as they are', () => {
  assert.equal(decodeHeaderValue('50%'), '50%');
  assert.equal(decodeHeaderValue('%zz%4'), '%zz%4');
  assert.equal(decodeHeaderValue('no-escapes'), 'no-escapes');
});
