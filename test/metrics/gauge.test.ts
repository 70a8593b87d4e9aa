import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/metrics/index.js';

test('gauge sets, increments and decrements; NaN is dropped', () => {
  const gauge = new Registry().gauge({ name: 'g', help: 'g' });
  gauge.set(10);
  gauge.inc();
  gauge.dec(3);
  gauge.set(NaN);
  gauge.inc(NaN);
  gauge.dec(NaN);
  assert.equal(gauge.value, 8);
});

test('labelled gauge children move independently and may go negative', () => {
  const gauge = new Registry().gauge({ name: 'g', help: 'g', labelNames: ['backend'] });
  gauge.labels('a').inc(2);
  gauge.labels('b').dec();
  assert.equal(gauge.labels('a').value, 2);
  assert.equal(gauge.labels('b').value, -1);
});

test('collect callback fills the gauge at render time', () => {
  const registry = new Registry();
  let live = 3;
  registry.gauge({ name: 'live_things', help: 'Things alive now', collect: (g) => g.set(live) });
  assert.match(registry.render(), /^live_things 3$/m);
  live = 7;
  assert.match(registry.render(), /^live_things 7$/m);
});

test('gauge renders infinities as +Inf and -Inf', () => {
  const registry = new Registry();
  registry.gauge({ name: 'up_inf', help: 'h' }).set(Infinity);
  registry.gauge({ name: 'down_inf', help: 'h' }).set(-Infinity);
  const text = registry.render();
  assert.match(text, /^up_inf \+Inf$/m);
  assert.match(text, /^down_inf -Inf$/m);
});
