import assert from 'node:assert/strict';
import test from 'node:test';
import { SlidingWindowLimiter } from '../../src/auth/sliding-window-limiter.js';

test('a limiter accepts exactly `limit` events in any window and says how long to wait', () => {
  const limiter = new SlidingWindowLimiter(3, 60_000);
  assert.equal(limiter.tryTake(0), 0);
  assert.equal(limiter.tryTake(10_000), 0);
  assert.equal(limiter.tryTake(20_000), 0);
  assert.equal(limiter.tryTake(30_000), 30_000, 'the oldest event (t=0) leaves the window at t=60 s');
  assert.equal(limiter.tryTake(59_999), 1);
  assert.equal(limiter.tryTake(60_000), 0, 'at t=60 s the first event has left');
  assert.equal(limiter.tryTake(60_001), 9_999, 'now the oldest in the window is t=10 s');
});

test('refused events never use the limit up', () => {
  const limiter = new SlidingWindowLimiter(1, 1000);
  assert.equal(limiter.tryTake(0), 0);
  for (let t = 1; t < 1000; t += 7) assert.ok(limiter.tryTake(t) > 0);
  assert.equal(limiter.tryTake(1000), 0, 'a window after the one accepted event, the next is accepted');
});

test('over a long run the accepted count in every 60 s window never exceeds the limit', () => {
  const limiter = new SlidingWindowLimiter(10, 60_000);
  const accepted: number[] = [];
  for (let t = 0; t < 600_000; t += 1_337) if (limiter.tryTake(t) === 0) accepted.push(t);
  for (const start of accepted) assert.ok(accepted.filter((t) => t >= start && t < start + 60_000).length <= 10);
  assert.ok(accepted.length >= 95, `the limit is used fully (${accepted.length} accepted)`);
});
