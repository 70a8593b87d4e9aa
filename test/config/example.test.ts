// The example `nexus config init` writes: every setting of the defaults is in it (recursively), so a
// new section can never be left out again, and it validates as written.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../src/config/defaults.js';
import { buildExampleConfig, EXAMPLE_CONFIG, SAMPLE_AUTH_KEY } from '../../src/config/example.js';
import { validateConfig } from '../../src/config/validate.js';

// Paths of every key of `value`, descending into plain objects (arrays and null are leaves).
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const paths: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('//')) continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    paths.push(path, ...keyPaths(child, path));
  }
  return paths;
}

test('the example holds every key of the defaults, at every depth', () => {
  const example = new Set(keyPaths(buildExampleConfig()));
  const missing = keyPaths(defaultConfig()).filter((path) => !example.has(path));
  assert.deepEqual(missing, []);
  for (const path of ['auth.keys', 'dashboard.enabled', 'server.workers', 'server.tls', 'routing.outlier.base_ejection_seconds']) assert.ok(example.has(path), path);
});

test('the example validates without warnings and, apart from its illustrations, is the defaults', () => {
  const { config, warnings } = validateConfig(JSON.parse(EXAMPLE_CONFIG), 'nexus.json');
  assert.deepEqual(warnings, []);
  const defaults = defaultConfig();
  assert.deepEqual({ ...config, routing: { ...config.routing, aliases: {}, fallbacks: {} }, backends: [] }, defaults);
  // Access control stays off as written: the sample key is only a comment.
  assert.deepEqual(config.auth.keys, []);
});

test('the commented sample key is a valid key that takes its secret from the environment', () => {
  assert.equal(SAMPLE_AUTH_KEY.api_key_env, 'NEXUS_KEY_CI_BOT');
  assert.equal(SAMPLE_AUTH_KEY.key_file, undefined);
  const { config, warnings } = validateConfig({ auth: { keys: [SAMPLE_AUTH_KEY] } }, 'nexus.json');
  assert.deepEqual(warnings, []);
  assert.deepEqual(config.auth.keys, [SAMPLE_AUTH_KEY]);
});
