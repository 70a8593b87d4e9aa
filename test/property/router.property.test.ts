// The router on generated fleets (SPEC 2, 2.2): any backend model lists, aliases and fallbacks that
// pass config validation, and any requested name: planning never throws, and every planned backend
// is healthy and serves the model of its step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConfigError } from '../../src/config/config-error.js';
import { validateConfig } from '../../src/config/validate.js';
import { Fleet } from '../../src/fleet/fleet.js';
import { Router } from '../../src/routing/router.js';
import { modelList, modelName } from './arbitraries.js';

const fleetInput = fc.record({
  lists: fc.array(modelList, { minLength: 1, maxLength: 4 }),
  healthy: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  aliases: fc.dictionary(modelName, modelName, { maxKeys: 4 }),
  fallbacks: fc.dictionary(modelName, fc.array(modelName, { maxLength: 3 }), { maxKeys: 4 }),
  strategy: fc.constantFrom('smart', 'round_robin', 'priority_only', 'random'),
  requests: fc.array(modelName, { minLength: 1, maxLength: 5 }),
});

test('planning any request over any generated fleet never throws and only plans healthy backends serving the step model', () => {
  fc.assert(
    fc.property(fleetInput, ({ lists, healthy, aliases, fallbacks, strategy, requests }) => {
      const raw = {
        routing: { strategy, aliases, fallbacks },
        backends: lists.map((models, i) => ({ name: `b${i}`, url: `http://127.0.0.1:${9000 + i}`, type: 'vllm', models })),
      };
      let config;
      try {
        config = validateConfig(JSON.parse(JSON.stringify(raw)), 'generated').config;
      } catch (error) {
        assert.ok(error instanceof ConfigError, `validation threw ${String(error)}`);
        return;
      }
      const fleet = new Fleet(config.backends);
      fleet.all().forEach((backend, i) => (backend.status = healthy[i] === true ? 'healthy' : 'unhealthy'));
      const router = new Router(fleet, config.routing, () => 0.5);
      for (const requested of requests) {
        const plan = router.plan(requested);
        assert.equal(typeof plan.resolvedModel, 'string');
        for (const step of plan.steps) {
          assert.ok(step.backends.length > 0);
          for (const backend of step.backends) assert.ok(backend.isHealthy && backend.serves(step.model));
        }
        if (plan.steps.length > 0) assert.equal(plan.known, true);
        const direct = fleet.healthyFor(plan.resolvedModel);
        if (direct.length > 0) assert.equal(plan.steps[0]?.model, plan.resolvedModel);
      }
    }),
    { numRuns: 5000 },
  );
});
