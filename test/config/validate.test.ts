// Load-time refusals of SPEC 1 and 2.2: durations timers cannot hold, credential URLs, backend names
// that would share series, and prototype-polluting names.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/config-error.js';
import { parseBackendSpec } from '../../src/config/load.js';
import { MAX_SECONDS, validateConfig } from '../../src/config/validate.js';

function refusal(raw: unknown): ConfigError {
  try {
    validateConfig(raw, 'nexus.json');
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail('the config was accepted');
}

const SECONDS_KEYS = [
  ['server', 'request_timeout_seconds'],
  ['server', 'stream_idle_timeout_seconds'],
  ['server', 'headers_timeout_seconds'],
  ['server', 'body_timeout_seconds'],
  ['server', 'write_stall_timeout_seconds'],
  ['server', 'shutdown_drain_seconds'],
  ['health_check', 'interval_seconds'],
  ['health_check', 'timeout_seconds'],
] as const;

test('every *_seconds value past 2,000,000 is refused, naming its path', () => {
  for (const [section, key] of SECONDS_KEYS) {
    const error = refusal({ [section]: { [key]: 2_592_000 } });
    assert.equal(error.path, `${section}.${key}`);
    assert.doesNotThrow(() => validateConfig({ [section]: { [key]: MAX_SECONDS } }, 'nexus.json'));
  }
});

test('every *_seconds value must be > 0, shutdown_drain_seconds >= 0', () => {
  for (const [section, key] of SECONDS_KEYS) {
    if (key === 'shutdown_drain_seconds') {
      assert.equal(validateConfig({ server: { shutdown_drain_seconds: 0 } }, 'x').config.server.shutdown_drain_seconds, 0);
      assert.equal(refusal({ server: { shutdown_drain_seconds: -1 } }).path, 'server.shutdown_drain_seconds');
    } else {
      assert.equal(refusal({ [section]: { [key]: 0 } }).path, `${section}.${key}`);
      assert.equal(refusal({ [section]: { [key]: -5 } }).path, `${section}.${key}`);
    }
  }
});

test('the new server limits have the SPEC defaults and are validated', () => {
  const { server } = validateConfig({}, 'x').config;
  assert.equal(server.max_concurrent_requests, 1024);
  assert.equal(server.max_inflight_body_bytes, 268_435_456);
  assert.equal(server.headers_timeout_seconds, 30);
  assert.equal(server.body_timeout_seconds, 60);
  assert.equal(server.write_stall_timeout_seconds, 120);
  assert.equal(refusal({ server: { max_concurrent_requests: 0 } }).path, 'server.max_concurrent_requests');
  assert.equal(refusal({ server: { max_inflight_body_bytes: 1.5 } }).path, 'server.max_inflight_body_bytes');
  assert.deepEqual(validateConfig({ server: { max_concurrent_requests: 3 } }, 'x').warnings, []);
});

test('a backend URL with user:password is refused without echoing the password', () => {
  for (const url of ['http://user:s3cret-pw@10.0.0.2:8000', 'https://s3cret-pw@gpu.local', 'http://user:s3cret-pw@h:99999']) {
    const error = refusal({ backends: [{ name: 'a', url }] });
    assert.equal(error.path, 'backends[0].url');
    assert.doesNotMatch(error.message, /s3cret-pw/);
  }
});

test('--backend NAME=URL with credentials says credentials are not allowed', () => {
  assert.throws(() => parseBackendSpec('a=http://user:pw@h:1'), (error: Error) => /credentials/.test(error.message) && !/pw@/.test(error.message));
  assert.throws(() => parseBackendSpec('a=http://user:pw@h:1@vllm'), /credentials/);
  assert.throws(() => parseBackendSpec('a=http://h:1@weird'), /unknown backend type/);
  assert.equal(parseBackendSpec('a=http://h:1@vllm').type, 'vllm');
});

test('two backend names that sanitize to the same label are refused', () => {
  const error = refusal({ backends: [{ name: 'gpu-1', url: 'http://a:1' }, { name: 'gpu_1', url: 'http://b:1' }] });
  assert.equal(error.path, 'backends[1].name');
  assert.match(error.message, /gpu_1/);
  assert.equal(refusal({ backends: [{ name: 'x', url: 'http://a:1' }, { name: 'x', url: 'http://b:1' }] }).path, 'backends[1].name');
  assert.equal(refusal({ backends: [{ name: '1gpu', url: 'http://a:1' }, { name: '_1gpu', url: 'http://b:1' }] }).path, 'backends[1].name');
});

test('"__proto__" as an alias or fallback name is refused; other inherited names are ordinary keys', () => {
  const aliases = JSON.parse('{"routing":{"aliases":{"__proto__":"llama3"}}}');
  assert.equal(refusal(aliases).path, 'routing.aliases.__proto__');
  const fallbacks = JSON.parse('{"routing":{"fallbacks":{"__proto__":["llama3"]}}}');
  assert.equal(refusal(fallbacks).path, 'routing.fallbacks.__proto__');
  const { config } = validateConfig({ routing: { aliases: { constructor: 'llama3', toString: 'x' }, fallbacks: { hasOwnProperty: ['y'] } } }, 'x');
  assert.equal(Object.getPrototypeOf(config.routing.aliases), Object.prototype);
  assert.ok(Object.hasOwn(config.routing.aliases, 'constructor'));
  assert.deepEqual(config.routing.fallbacks.hasOwnProperty, ['y']);
});

test('"__proto__" elsewhere is an ignored unknown key that changes nothing', () => {
  const { config, warnings } = validateConfig(JSON.parse('{"__proto__":{"polluted":true},"server":{"__proto__":{"port":1}}}'), 'x');
  assert.equal(config.server.port, 8000);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(warnings.length, 2);
});
