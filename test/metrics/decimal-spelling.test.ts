import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { measureDecimal, writeMeasuredDecimal } from '../../src/metrics/decimal-spelling.js';

function spell(n: number): string | null {
  const width = measureDecimal(n);
  if (width < 0) return null;
  const buffer = new Uint8Array(width);
  writeMeasuredDecimal(buffer, 0, width, n < 0);
  return Buffer.from(buffer).toString('latin1');
}

test('decimals are spelled exactly as Number.prototype.toString spells them', () => {
  const decimals = fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 9 })).map(([m, f]) => m / 10 ** f);
  const sums = fc.array(fc.integer({ min: 1, max: 99999 }), { minLength: 1, maxLength: 50 }).map((xs) => xs.reduce((s, x) => s + x / 1000, 0));
  fc.assert(
    fc.property(fc.oneof(decimals, sums, fc.double({ noNaN: true })), (n) => {
      const spelled = spell(n);
      if (spelled !== null) assert.equal(spelled, String(n));
    }),
    { numRuns: 20_000 },
  );
});

test('numbers outside the fast path are left to the general conversion', () => {
  for (const n of [1e-7, 5e-324, 0.1 + 0.2, 2 ** 53, 1e21, 1.7976931348623157e308, Infinity, NaN, 0]) {
    assert.equal(spell(n), null, String(n));
  }
  for (const [n, text] of [[1234.5678, '1234.5678'], [-0.25, '-0.25'], [0.000001, '0.000001'], [3, '3'], [-7, '-7'], [123456789.5, '123456789.5']] as const) {
    assert.equal(spell(n), text);
  }
});
