import assert from 'node:assert/strict';
import test from 'node:test';
import { findAccessRequirement } from '../../src/auth/access-policy.js';

test('each endpoint needs the scope SPEC 8 assigns it', () => {
  assert.equal(findAccessRequirement('/v1/chat/completions'), 'chat');
  assert.equal(findAccessRequirement('/v1/models'), 'chat');
  assert.equal(findAccessRequirement('/v1/models/llama3:8b'), 'chat');
  assert.equal(findAccessRequirement('/metrics'), 'metrics');
  assert.equal(findAccessRequirement('/v1/stats'), 'admin');
  assert.equal(findAccessRequirement('/v1/backends'), 'admin');
});

test('liveness, readiness and the dashboard page are open; unknown paths need a valid key', () => {
  for (const path of ['/health', '/ready', '/', '/dashboard/dashboard.js', '/dashboard/dashboard.css']) assert.equal(findAccessRequirement(path), 'open', path);
  assert.equal(findAccessRequirement('/nope'), 'key');
  assert.equal(findAccessRequirement('/v1/stats/'), 'key');
});
