import assert from 'node:assert/strict';
import test from 'node:test';
import { ConfigError } from '../../src/config/config-error.js';
import { validateConfig } from '../../src/config/validate.js';

function pathOf(raw: unknown): string {
  try {
    validateConfig(raw, 'nexus.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.path;
    throw error;
  }
  return 'valid';
}

test('auth keys validate with their JSON paths', () => {
  const { config, warnings } = validateConfig(
    { auth: { keys: [{ name: 'a', api_key_env: 'A', scopes: ['chat', 'chat', 'metrics'], models: ['m'], rate_limit_rpm: 60, extra: 1 }] } },
    'nexus.json',
  );
  assert.deepEqual(config.auth.keys, [{ name: 'a', api_key_env: 'A', scopes: ['chat', 'metrics'], models: ['m'], rate_limit_rpm: 60 }]);
  assert.ok(warnings.some((w) => w.includes('auth.keys[0].extra')));
  assert.deepEqual(validateConfig({}, 'x').config.auth.keys, []);
});

test('bad auth entries are refused at load', () => {
  assert.equal(pathOf({ auth: [] }), 'auth');
  assert.equal(pathOf({ auth: { keys: {} } }), 'auth.keys');
  assert.equal(pathOf({ auth: { keys: [{ name: 'a', scopes: ['chat'] }] } }), 'auth.keys[0]');
  assert.equal(pathOf({ auth: { keys: [{ name: 'a', api_key_env: 'A', key_file: 'f', scopes: ['chat'] }] } }), 'auth.keys[0]');
  assert.equal(pathOf({ auth: { keys: [{ name: 'a', api_key_env: 'A', scopes: [] }] } }), 'auth.keys[0].scopes');
  assert.equal(pathOf({ auth: { keys: [{ name: 'a', api_key_env: 'A', scopes: ['root'] }] } }), 'auth.keys[0].scopes[0]');
  assert.equal(pathOf({ auth: { keys: [{ name: 'a', api_key_env: 'A', scopes: ['chat'], rate_limit_rpm: 0 }] } }), 'auth.keys[0].rate_limit_rpm');
  assert.equal(pathOf({ auth: { keys: [{ name: 'a', api_key_env: 'A', scopes: ['chat'], models: 'm' }] } }), 'auth.keys[0].models');
  assert.equal(pathOf({ auth: { keys: [{ name: '', api_key_env: 'A', scopes: ['chat'] }] } }), 'auth.keys[0].name');
});

test('a secret written into the config itself is refused, and the error does not repeat it', () => {
  let message = '';
  try {
    validateConfig({ auth: { keys: [{ name: 'a', key: 'sk-live-secret', scopes: ['chat'] }] } }, 'nexus.json');
  } catch (error) {
    message = (error as Error).message;
  }
  assert.match(message, /auth\.keys\[0\]\.key: secrets never go in the config/);
  assert.doesNotMatch(message, /sk-live-secret/);
});

test('key names that would share a metrics label are refused', () => {
  const keys = [
    { name: 'team-a', api_key_env: 'A', scopes: ['chat'] },
    { name: 'team_a', api_key_env: 'B', scopes: ['chat'] },
  ];
  assert.equal(pathOf({ auth: { keys } }), 'auth.keys[1].name');
});

test('server.tls needs both PEM files', () => {
  assert.deepEqual(validateConfig({ server: { tls: { cert_file: 'c.pem', key_file: 'k.pem' } } }, 'x').config.server.tls, { cert_file: 'c.pem', key_file: 'k.pem' });
  assert.equal(pathOf({ server: { tls: { cert_file: 'c.pem' } } }), 'server.tls.key_file');
  assert.equal(pathOf({ server: { tls: 'yes' } }), 'server.tls');
  assert.equal(validateConfig({}, 'x').config.server.tls, null);
});
