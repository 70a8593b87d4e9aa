// The router: aliases resolved before anything else, the fallback chain walked in configured order,
// known vs unknown models, and client strings looked up in own properties only (SPEC 2, 2.2).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../src/config/defaults.js';
import type { BackendConfig, NexusConfig } from '../../src/config/types.js';
import { Fleet } from '../../src/fleet/fleet.js';
import { Router, type RoutePlan } from '../../src/routing/router.js';

type Routing = NexusConfig['routing'];

function backend(name: string, models: string[], priority = 50): BackendConfig {
  return { name, url: `http://${name}.invalid`, type: 'vllm', priority, models };
}

/** A router over `backends` (all healthy unless named in `down`) with the given routing tables. */
function router(backends: BackendConfig[], tables: Partial<Routing>, down: string[] = []): { router: Router; fleet: Fleet } {
  const fleet = new Fleet(backends);
  for (const b of fleet.all()) b.status = down.includes(b.name) ? 'unhealthy' : 'healthy';
  const routing: Routing = { ...defaultConfig().routing, ...tables };
  return { router: new Router(fleet, routing, () => 0), fleet };
}

/** The plan as `model: backend,backend` strings, in order. */
function steps(plan: RoutePlan): string[] {
  return plan.steps.map((step) => `${step.model}: ${step.backends.map((b) => b.name).join(',')}`);
}

test('an alias resolves (through a chain) to the model that is routed', () => {
  const { router: r } = router([backend('a', ['llama3:8b'])], { aliases: { 'gpt-4': 'fast', fast: 'llama3:8b' } });
  const plan = r.plan('gpt-4');
  assert.equal(plan.resolvedModel, 'llama3:8b');
  assert.equal(plan.known, true);
  assert.deepEqual(steps(plan), ['llama3:8b: a']);
  assert.equal(r.resolve('llama3:8b'), 'llama3:8b');
});

test('the fallback chain follows the configured order after the model itself', () => {
  const { router: r } = router([backend('a', ['big', 'small']), backend('b', ['mid'])], { fallbacks: { big: ['mid', 'small'] } });
  assert.deepEqual(steps(r.plan('big')), ['big: a', 'mid: b', 'small: a']);
});

test('fallbacks with no routable backend are left out; the model itself too when it has none', () => {
  const { router: r } = router([backend('a', ['small']), backend('b', ['big', 'mid'])], { fallbacks: { big: ['mid', 'gone', 'small'] } }, ['b']);
  const plan = r.plan('big');
  assert.deepEqual(steps(plan), ['small: a']);
  assert.equal(plan.resolvedModel, 'big');
  assert.equal(plan.known, true);
  assert.equal(plan.steps[0]?.known, true);
});

test('fallback names resolve through aliases and a model appears at most once in the chain', () => {
  const { router: r } = router([backend('a', ['big', 'small'])], { aliases: { tiny: 'small' }, fallbacks: { big: ['big', 'tiny', 'small'] } });
  assert.deepEqual(steps(r.plan('big')), ['big: a', 'small: a']);
});

test('a requested alias uses the fallbacks of the model it resolves to', () => {
  const { router: r } = router([backend('a', ['small'])], { aliases: { chat: 'big' }, fallbacks: { big: ['small'] } });
  const plan = r.plan('chat');
  assert.equal(plan.resolvedModel, 'big');
  assert.deepEqual(steps(plan), ['small: a']);
});

test('each step orders its backends with the configured strategy', () => {
  const { router: r } = router([backend('a', ['m'], 90), backend('b', ['m'], 10), backend('c', ['m'], 50)], { strategy: 'priority_only' });
  assert.deepEqual(steps(r.plan('m')), ['m: b,c,a']);
});

test('a model only a down backend lists is known; a name nothing lists is not', () => {
  const { router: r } = router([backend('up', ['m']), backend('down', ['offline'])], {}, ['down']);
  const offline = r.plan('offline');
  assert.equal(offline.known, true);
  assert.deepEqual(offline.steps, []);
  const unknown = r.plan('no-such-model');
  assert.equal(unknown.known, false);
  assert.deepEqual(unknown.steps, []);
});

test('fallback keys and alias targets are known even when no backend lists them', () => {
  const { router: r } = router([backend('a', ['m'])], { aliases: { x: 'target' }, fallbacks: { keyed: ['m'] } });
  assert.equal(r.isKnown('target'), true);
  assert.equal(r.isKnown('keyed'), true);
  assert.equal(r.isKnown('x'), false, 'an alias name itself is resolved, never routed');
  const plan = r.plan('keyed');
  assert.equal(plan.known, true);
  assert.deepEqual(steps(plan), ['m: a']);
});

test('a backend that accepts any model serves a client string, which stays unknown', () => {
  const { router: r, fleet } = router([{ name: 'open', url: 'http://open.invalid', type: 'generic', priority: 50 }], {});
  const open = fleet.get('open');
  assert.ok(open !== undefined);
  open.acceptsAnyModel = true;
  const plan = r.plan('whatever-the-client-says');
  assert.equal(plan.known, false);
  assert.deepEqual(steps(plan), ['whatever-the-client-says: open']);
  assert.equal(plan.steps[0]?.known, false);
});

test('constructor, __proto__ and other prototype names are ordinary unknown models', () => {
  const { router: r } = router([backend('a', ['m'])], { aliases: { 'gpt-4': 'm' }, fallbacks: { m: ['m'] } });
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
    const plan = r.plan(name);
    assert.equal(plan.resolvedModel, name);
    assert.equal(plan.known, false, name);
    assert.deepEqual(plan.steps, [], name);
  }
});

test('prototype names configured as own keys (as JSON config creates them) do route', () => {
  const tables = JSON.parse('{"aliases": {"constructor": "m"}, "fallbacks": {"__proto__": ["m"]}}') as Pick<Routing, 'aliases' | 'fallbacks'>;
  const { router: r } = router([backend('a', ['m'])], tables);
  assert.deepEqual(steps(r.plan('constructor')), ['m: a']);
  const proto = r.plan('__proto__');
  assert.equal(proto.known, true);
  assert.deepEqual(steps(proto), ['m: a']);
});
