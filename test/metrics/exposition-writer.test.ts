import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpositionWriter } from '../../src/metrics/exposition-writer.js';
import { formatNumber } from '../../src/metrics/exposition.js';

test('values are spelled exactly as formatNumber spells them', () => {
  const values = [0, -0, 7, 10, 99, 100, 1234567890, -42, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60, 1e21, 0.1, 1.5e-7, -3.25, Infinity, -Infinity, NaN, -1.7976931348623157e308];
  const out = new ExpositionWriter(1);
  for (const v of values) out.valueLine(v);
  assert.equal(out.finish().toString(), values.map((v) => formatNumber(v) + '\n').join(''));
});

test('the buffer grows past its hint and keeps every byte, multi-byte characters included', () => {
  const out = new ExpositionWriter(16);
  const prefix = Buffer.from('métrique{label="ünïcode 🌍"} ');
  let expected = '';
  for (let i = 0; i < 500; i++) {
    out.bytes(prefix);
    out.valueLine(i * 3);
    expected += `métrique{label="ünïcode 🌍"} ${i * 3}\n`;
  }
  assert.equal(out.finish().toString('utf8'), expected);
});
