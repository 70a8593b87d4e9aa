// The fleet's lookups: backends by name, healthy and routable backends for a model (ejection
// included), what the fleet knows, what is down, and the summary /health and the gauges use.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackendConfig } from '../../src/config/types.js';
import type { Backend, BackendStatus } from '../../src/fleet/backend.js';
import { Fleet } from '../../src/fleet/fleet.js';

const NOW = 5_000_000;

function config(name: string, models?: string[]): BackendConfig {
  return { name, url: `http://${name}.invalid`, type: 'vllm', priority: 50, ...(models === undefined ? {} : { models }) };
}

/** A fleet at a fixed clock with each backend's status set. */
function fleetOf(entries: [BackendConfig, BackendStatus][]): Fleet {
  const fleet = new Fleet(
    entries.map(([c]) => c),
    { now: () => NOW },
  );
  for (const [c, status] of entries) (fleet.get(c.name) as Backend).status = status;
  return fleet;
}

const names = (backends: readonly Backend[]): string[] => backends.map((b) => b.name);

test('backends are listed in name order and found by name, own names only', () => {
  const fleet = fleetOf([[config('gpu-2', ['m']), 'healthy'], [config('cpu', ['m']), 'healthy'], [config('gpu-10', ['m']), 'healthy']]);
  assert.deepEqual(names(fleet.all()), ['cpu', 'gpu-10', 'gpu-2']);
  assert.equal(fleet.get('cpu')?.url, 'http://cpu.invalid');
  assert.equal(fleet.get('nope'), undefined);
  assert.equal(fleet.get('constructor'), undefined);
  assert.equal(fleet.get('__proto__'), undefined);
});

test('healthyFor lists healthy backends serving the model, in name order', () => {
  const fleet = fleetOf([
    [config('c', ['m', 'x']), 'healthy'],
    [config('a', ['m']), 'healthy'],
    [config('b', ['m']), 'unhealthy'],
    [config('d', ['m']), 'unknown'],
    [config('e', ['x']), 'healthy'],
  ]);
  assert.deepEqual(names(fleet.healthyFor('m')), ['a', 'c']);
  assert.deepEqual(names(fleet.healthyFor('x')), ['c', 'e']);
  assert.deepEqual(fleet.healthyFor('constructor'), []);
});

test('routableFor leaves out ejected backends', () => {
  const fleet = fleetOf([[config('a', ['m']), 'healthy'], [config('b', ['m']), 'healthy'], [config('c', ['m']), 'unhealthy']]);
  (fleet.get('a') as Backend).ejectedUntil = NOW + 1000;
  assert.deepEqual(names(fleet.routableFor('m')), ['b']);
  (fleet.get('a') as Backend).ejectedUntil = NOW;
  assert.deepEqual(names(fleet.routableFor('m')), ['a', 'b'], 'an ejection that ends now is over');
});

test('when every healthy backend is ejected, routableFor gives the one whose ejection ends soonest', () => {
  const fleet = fleetOf([[config('a', ['m']), 'healthy'], [config('b', ['m']), 'healthy'], [config('c', ['m']), 'unhealthy']]);
  (fleet.get('a') as Backend).ejectedUntil = NOW + 9000;
  (fleet.get('b') as Backend).ejectedUntil = NOW + 2000;
  assert.deepEqual(names(fleet.routableFor('m')), ['b']);
  assert.deepEqual(fleet.routableFor('other'), []);
});

test('an unhealthy backend is never routable, not even as the last resort', () => {
  const fleet = fleetOf([[config('a', ['m']), 'unhealthy']]);
  assert.deepEqual(fleet.routableFor('m'), []);
});

test('knows finds models listed by any backend whatever its health; a backend that accepts any name knows none', () => {
  const fleet = fleetOf([[config('a', ['m']), 'unhealthy'], [config('open'), 'healthy']]);
  (fleet.get('open') as Backend).acceptsAnyModel = true;
  assert.equal(fleet.knows('m'), true);
  assert.equal(fleet.knows('anything'), false);
  assert.equal(fleet.knows('constructor'), false);
  assert.deepEqual(names(fleet.healthyFor('anything')), ['open']);
});

test('hasUnprobed is true only while a backend without configured models has not answered a probe', () => {
  const fleet = fleetOf([[config('a', ['m']), 'healthy'], [config('b'), 'unknown']]);
  assert.equal(fleet.hasUnprobed(), true);
  (fleet.get('b') as Backend).modelsKnown = true;
  assert.equal(fleet.hasUnprobed(), false);
  const open = fleetOf([[config('open'), 'healthy']]);
  (open.get('open') as Backend).acceptsAnyModel = true;
  assert.equal(open.hasUnprobed(), false);
});

test('down lists every backend not healthy, unknown ones included, in name order', () => {
  const fleet = fleetOf([[config('c', ['m']), 'unknown'], [config('a', ['m']), 'healthy'], [config('b', ['m']), 'unhealthy']]);
  assert.deepEqual(names(fleet.down()), ['b', 'c']);
});

test('availableModels lists distinct models of healthy backends, sorted', () => {
  const fleet = fleetOf([[config('a', ['z', 'm']), 'healthy'], [config('b', ['m', 'b']), 'healthy'], [config('c', ['only-down']), 'unhealthy']]);
  assert.deepEqual(fleet.availableModels(), ['b', 'm', 'z']);
});

test('summary counts backends by status (unknown in neither) and the available models', () => {
  const fleet = fleetOf([
    [config('a', ['m', 'n']), 'healthy'],
    [config('b', ['m']), 'healthy'],
    [config('c', ['x']), 'unhealthy'],
    [config('d', ['y']), 'unknown'],
  ]);
  assert.deepEqual(fleet.summary(), { total: 4, healthy: 2, unhealthy: 1, models: 2 });
  assert.deepEqual(new Fleet([]).summary(), { total: 0, healthy: 0, unhealthy: 0, models: 0 });
});
