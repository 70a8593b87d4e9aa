import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backend } from '../../src/fleet/backend.js';
import { orderCandidates, orderSmart } from '../../src/routing/strategies.js';
import { resolveAlias } from '../../src/config/aliases.js';

function backend(name: string, priority: number, pending = 0, latencyMs = 0): Backend {
  const b = new Backend({ name, url: 'http://x', type: 'vllm', priority, models: ['m'] });
  b.pending = pending;
  b.latencyMs = latencyMs;
  return b;
}

const weights = { priority: 50, load: 30, latency: 20 };

test('smart prefers low priority, then low load and latency', () => {
  assert.deepEqual(orderSmart([backend('b', 50), backend('a', 10)], weights).map((b) => b.name), ['a', 'b']);
  assert.deepEqual(orderSmart([backend('busy', 10, 9), backend('idle', 10, 0)], weights).map((b) => b.name), ['idle', 'busy']);
  assert.deepEqual(orderSmart([backend('slow', 10, 0, 900), backend('quick', 10, 0, 5)], weights).map((b) => b.name), ['quick', 'slow']);
});

test('round robin rotates per model', () => {
  const state = { cursors: new Map<string, number>(), random: Math.random };
  const list = [backend('a', 1), backend('b', 1), backend('c', 1)];
  const firsts = [0, 1, 2, 3].map(() => orderCandidates('round_robin', 'm', list, weights, state)[0]?.name);
  assert.deepEqual(firsts, ['a', 'b', 'c', 'a']);
});

test('priority_only sorts by priority then name; random uses the injected source', () => {
  const state = { cursors: new Map<string, number>(), random: () => 0 };
  const list = [backend('z', 1), backend('y', 5), backend('x', 1)];
  assert.deepEqual(orderCandidates('priority_only', 'm', list, weights, state).map((b) => b.name), ['x', 'z', 'y']);
  assert.equal(orderCandidates('random', 'm', list, weights, state).length, 3);
});

test('alias resolution follows chains', () => {
  assert.equal(resolveAlias({ a: 'b', b: 'c' }, 'a'), 'c');
  assert.equal(resolveAlias({ a: 'b' }, 'z'), 'z');
});
