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

test('patchNumber overwrites a value of the same width in place and refuses any other width', () => {
  const out = new ExpositionWriter(64);
  out.bytes(Buffer.from('a '));
  out.number(1299);
  out.bytes(Buffer.from(' b '));
  out.number(12.5);
  assert.equal(out.patchNumber(2, 4, 1299, 1300), true);
  assert.equal(out.patchNumber(2, 4, 1300, 10000), false);
  assert.equal(out.patchNumber(2, 4, 1300, 1299.5), false);
  assert.equal(out.patchNumber(9, 4, 12.5, 13.5), true);
  assert.equal(out.patchNumber(9, 4, 13.5, 0.1 + 0.2), false);
  assert.equal(out.patchNumber(9, 4, 13.5, 2000), true, 'an integer may replace a decimal of its width');
  assert.equal(out.patchNumber(9, 4, 2000, 1e21), false);
  assert.equal(out.patchNumber(9, 4, 2000, NaN), false);
  assert.equal(out.patchNumber(9, 3, 2000, NaN), true);
  assert.equal(out.finish().toString(), 'a 1300 b NaN0');
});

test('spliceFrom replaces a span with bytes written at the end, keeping what followed', () => {
  const out = new ExpositionWriter(16);
  out.bytes(Buffer.from('one\ntwo\nthree\n'));
  const from = out.length;
  out.bytes(Buffer.from('TWO, LONGER\n'));
  out.spliceFrom(4, 8, from);
  assert.equal(out.finish().toString(), 'one\nTWO, LONGER\nthree\n');
  const again = out.length;
  out.bytes(Buffer.from('1\n'));
  out.spliceFrom(0, 4, again);
  assert.equal(out.finish().toString(), '1\nTWO, LONGER\nthree\n');
});

test('text() writes UTF-8 and contents() reuses its view until the writer moves', () => {
  const out = new ExpositionWriter(Buffer.alloc(4));
  out.text('réq 😀');
  const view = out.contents();
  assert.equal(view.toString('utf8'), 'réq 😀');
  assert.equal(out.contents(), view);
  out.truncate(2);
  assert.notEqual(out.contents(), view);
  out.byte(0x21);
  assert.equal(out.finish().toString('latin1'), 'r\u00c3!');
  assert.ok(out.backing.length >= 4);
});
