import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fleet } from '../../src/fleet/fleet.js';
import type { OutlierEvent } from '../../src/fleet/outlier-detector.js';

/** A fleet of two healthy backends serving `m`, with a clock the test moves. */
function fleetWithClock(baseEjectionMs = 30_000) {
  const clock = { now: 1_000_000 };
  const events: OutlierEvent[] = [];
  const fleet = new Fleet(
    [
      { name: 'a', url: 'http://a.invalid', type: 'vllm', priority: 1, models: ['m'] },
      { name: 'b', url: 'http://b.invalid', type: 'vllm', priority: 1, models: ['m'] },
    ],
    { outlier: { consecutiveFailures: 3, baseEjectionMs }, now: () => clock.now, onOutlierEvent: (e) => events.push(e) },
  );
  for (const backend of fleet.all()) backend.status = 'healthy';
  const a = fleet.get('a')!;
  const fail = (backend = a): void => fleet.outliers.recordAttempt(backend, true, false, 10, 'HTTP 500');
  const succeed = (backend = a): void => fleet.outliers.recordAttempt(backend, false, true, 10, 'success');
  return { clock, events, fleet, a, b: fleet.get('b')!, fail, succeed };
}

test('three failed attempts in a row eject a backend for the base time, and routing skips it', () => {
  const { clock, events, fleet, a, fail } = fleetWithClock();
  fail();
  fail();
  assert.equal(a.isEjectedAt(clock.now), false, 'two failures stay under the threshold');
  assert.deepEqual(fleet.routableFor('m').map((x) => x.name), ['a', 'b']);
  fail();
  assert.equal(a.ejectedUntil, clock.now + 30_000);
  assert.equal(a.ejections, 1);
  assert.deepEqual(fleet.routableFor('m').map((x) => x.name), ['b']);
  assert.equal(events.length, 1);
  assert.equal(events[0]!.kind, 'ejected');
  assert.match(events[0]!.reason, /3 failed attempts in a row \(last: HTTP 500\)/);
});

test('a success between failures breaks the row; busy, 4xx and cancelled attempts neither count nor clear', () => {
  const { clock, fleet, a, fail, succeed } = fleetWithClock();
  fail();
  fail();
  succeed();
  assert.equal(a.consecutiveAttemptFailures, 0);
  fail();
  fleet.outliers.recordAttempt(a, false, false, 10, 'busy');
  fail();
  assert.equal(a.isEjectedAt(clock.now), false);
  fail();
  assert.equal(a.isEjectedAt(clock.now), true);
});

test('after the ejection the next attempt decides: a failure doubles it up to 300 s, a success returns it to the base', () => {
  const { clock, events, a, fail, succeed } = fleetWithClock();
  for (let i = 0; i < 3; i++) fail();
  const lengths: number[] = [];
  for (let round = 0; round < 6; round++) {
    clock.now = a.ejectedUntil + 1; // the ejection ends: probation
    assert.equal(a.isEjectedAt(clock.now), false);
    fail(); // one failure is enough now
    lengths.push(a.ejectedUntil - clock.now);
  }
  assert.deepEqual(lengths, [60_000, 120_000, 240_000, 300_000, 300_000, 300_000]);
  clock.now = a.ejectedUntil + 1;
  succeed();
  assert.equal(a.consecutiveAttemptFailures, 0);
  assert.equal(a.onProbation, false);
  assert.equal(events.at(-1)!.kind, 'recovered');
  for (let i = 0; i < 2; i++) fail();
  assert.equal(a.isEjectedAt(clock.now), false, 'after recovering, the full threshold applies again');
  fail();
  assert.equal(a.ejectedUntil - clock.now, 30_000, 'and the ejection is back to the base');
});

test('a base longer than 300 s is also the cap', () => {
  const { clock, a, fail } = fleetWithClock(600_000);
  for (let i = 0; i < 3; i++) fail();
  clock.now = a.ejectedUntil + 1;
  fail();
  assert.equal(a.ejectedUntil - clock.now, 600_000);
});

test('attempts already in flight when the backend was ejected do not decide its probation', () => {
  const { clock, a, fleet, fail } = fleetWithClock();
  for (let i = 0; i < 3; i++) fail();
  const ejectedAt = clock.now;
  clock.now = a.ejectedUntil + 5;
  // Started before the ejection (it lasted longer than the whole ejection), ended after it.
  fleet.outliers.recordAttempt(a, true, false, clock.now - ejectedAt + 1, 'timeout');
  assert.equal(a.ejections, 1);
  assert.equal(a.onProbation, true);
  fleet.outliers.recordAttempt(a, false, true, clock.now - ejectedAt + 1, 'success');
  assert.equal(a.onProbation, true);
});

test('when every candidate is ejected, the one whose ejection ends soonest is still routed', () => {
  const { clock, fleet, a, b, fail } = fleetWithClock();
  for (let i = 0; i < 3; i++) fail(a);
  clock.now += 1000;
  for (let i = 0; i < 3; i++) fail(b);
  assert.deepEqual(fleet.routableFor('m').map((x) => x.name), ['a']);
  clock.now = a.ejectedUntil + 1;
  assert.deepEqual(fleet.routableFor('m').map((x) => x.name), ['a'], 'a is back, b still out');
  // A last-resort failure while still ejected does not stretch the ejection.
  clock.now = b.ejectedUntil - 10;
  const until = b.ejectedUntil;
  fail(b);
  assert.equal(b.ejectedUntil, until);
});

test('a fleet without an outlier policy never ejects', () => {
  const fleet = new Fleet([{ name: 'a', url: 'http://a.invalid', type: 'vllm', priority: 1, models: ['m'] }]);
  const a = fleet.get('a')!;
  a.status = 'healthy';
  for (let i = 0; i < 100; i++) fleet.outliers.recordAttempt(a, true, false, 1, 'timeout');
  assert.equal(a.ejections, 0);
  assert.deepEqual(fleet.routableFor('m'), [a]);
});
