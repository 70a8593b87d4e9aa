import assert from 'node:assert/strict';
import test from 'node:test';
import { requirementOf } from '../../src/auth/access-policy.js';

test('each endpoint needs the scope SPEC 8 assigns it', () => {
  assert.equal(requirementOf('/v1/chat/completions'), 'chat');
  assert.equal(requirementOf('/v1/models'), 'chat');
  assert.equal(requirementOf('/v1/models/llama3:8b'), 'chat');
  assert.equal(requirementOf('/metrics'), 'metrics');
  assert.equal(requirementOf('/v1/stats'), 'admin');
  assert.equal(requirementOf('/v1/backends'), 'admin');
});

test('liveness, readiness and the dashboard page are open; unknown paths need a valid key', () => {
  for (const path of ['/health', '/ready', '/', '/dashboard/dashboard.js', '/dashboard/dashboard.css']) assert.equal(requirementOf(path), 'open', path);
  assert.equal(requirementOf('/nope'), 'key');
  assert.equal(requirementOf('/v1/stats/'), 'key');
});
