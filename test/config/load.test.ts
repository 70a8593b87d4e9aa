import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseBackendSpec, validateConfig } from '../../src/index.js';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-config-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('with no config at all the defaults apply and local-ollama is added', () => {
  withDir((dir) => {
    const { config, file } = loadConfig({}, {}, dir);
    assert.equal(file, null);
    assert.equal(config.server.host, '127.0.0.1');
    assert.equal(config.server.port, 8000);
    assert.deepEqual(config.backends.map((b) => `${b.name} ${b.url} ${b.type}`), ['local-ollama http://127.0.0.1:11434 ollama']);
  });
});

test('precedence is flag > env > file > default', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'nexus.json'), JSON.stringify({ server: { host: '0.0.0.0', port: 1111 }, backends: [{ name: 'f', url: 'http://x:1' }] }));
    assert.equal(loadConfig({}, {}, dir).config.server.port, 1111);
    assert.equal(loadConfig({}, { NEXUS_PORT: '2222' }, dir).config.server.port, 2222);
    assert.equal(loadConfig({ port: '3333' }, { NEXUS_PORT: '2222' }, dir).config.server.port, 3333);
    assert.equal(loadConfig({}, {}, dir).config.server.host, '0.0.0.0');
    const flagged = loadConfig({ backends: ['a=http://h:1@vllm'] }, {}, dir).config;
    assert.deepEqual(flagged.backends.map((b) => `${b.name} ${b.type}`), ['a vllm']);
  });
});

test('a named config file that is missing or invalid is an error naming the file', () => {
  withDir((dir) => {
    assert.throws(() => loadConfig({ config: 'absent.json' }, {}, dir), (e: unknown) => e instanceof ConfigError && e.message.includes('absent.json'));
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    assert.throws(() => loadConfig({}, { NEXUS_CONFIG: 'bad.json' }, dir), /bad\.json: invalid JSON/);
  });
});

test('a bad value is reported by its JSON path', () => {
  const cases: [unknown, string][] = [
    [{ server: { port: 'x' } }, 'server.port'],
    [{ backends: [{ name: 'a', url: 'http://a' }, { name: 'b', url: 'ftp://b' }] }, 'backends[1].url'],
    [{ backends: [{ name: 'a', url: 'http://a', type: 'nope' }] }, 'backends[0].type'],
    [{ backends: [{ name: 'a', url: 'http://a' }, { name: 'a', url: 'http://b' }] }, 'backends[1].name'],
    [{ routing: { strategy: 'fastest' } }, 'routing.strategy'],
    [{ routing: { fallbacks: { m: 'x' } } }, 'routing.fallbacks.m'],
    [{ health_check: { failure_threshold: 0 } }, 'health_check.failure_threshold'],
  ];
  for (const [raw, path] of cases) {
    assert.throws(() => validateConfig(raw, 'f.json'), (e: unknown) => e instanceof ConfigError && e.path === path, path);
  }
});

test('alias cycles and over-long chains are rejected at load', () => {
  assert.throws(() => validateConfig({ routing: { aliases: { a: 'b', b: 'a' } } }, 'f.json'), /alias cycle/);
  assert.throws(() => validateConfig({ routing: { aliases: { a: 'b', b: 'c', c: 'd', d: 'e' } } }, 'f.json'), /longer than 3 hops/);
  assert.doesNotThrow(() => validateConfig({ routing: { aliases: { a: 'b', b: 'c', c: 'd' } } }, 'f.json'));
});

test('unknown keys give a warning naming the key; "//" keys are comments', () => {
  const { warnings } = validateConfig({ '//': 'comment', server: { prot: 1 }, extra: true }, 'f.json');
  assert.deepEqual(warnings, ['f.json: unknown key extra (ignored)', 'f.json: unknown key server.prot (ignored)']);
});

test('backend specs parse NAME=URL[@TYPE]', () => {
  assert.deepEqual(parseBackendSpec('gpu=http://10.0.0.2:8000@vllm'), { name: 'gpu', url: 'http://10.0.0.2:8000', type: 'vllm', priority: 50 });
  assert.equal(parseBackendSpec('x=http://h:1').type, 'generic');
  assert.throws(() => parseBackendSpec('nonsense'), ConfigError);
  assert.throws(() => parseBackendSpec('x=http://h:1@weird'), /unknown backend type/);
});

test('dashboard.enabled defaults to true, accepts false and rejects a non-boolean with its path', () => {
  assert.equal(validateConfig({}, 'f.json').config.dashboard.enabled, true);
  const off = validateConfig({ dashboard: { enabled: false } }, 'f.json');
  assert.equal(off.config.dashboard.enabled, false);
  assert.deepEqual(off.warnings, []);
  assert.throws(() => validateConfig({ dashboard: { enabled: 'no' } }, 'f.json'), /dashboard\.enabled: must be true or false/);
});

test('per-attempt timeouts and outlier ejection have SPEC defaults and are validated by path', () => {
  const { config } = validateConfig({}, 'defaults');
  assert.equal(config.routing.first_byte_timeout_seconds, 120);
  assert.equal(config.routing.attempt_timeout_seconds, 300);
  assert.deepEqual(config.routing.outlier, { consecutive_failures: 3, base_ejection_seconds: 30 });
  const set = validateConfig({ routing: { first_byte_timeout_seconds: 0.2, attempt_timeout_seconds: 5, outlier: { consecutive_failures: 1, base_ejection_seconds: 600 } } }, 'f').config.routing;
  assert.deepEqual([set.first_byte_timeout_seconds, set.attempt_timeout_seconds, set.outlier.consecutive_failures, set.outlier.base_ejection_seconds], [0.2, 5, 1, 600]);
  const bad: [unknown, string][] = [
    [{ routing: { first_byte_timeout_seconds: 0 } }, 'routing.first_byte_timeout_seconds'],
    [{ routing: { attempt_timeout_seconds: 2_592_000 } }, 'routing.attempt_timeout_seconds'],
    [{ routing: { outlier: { consecutive_failures: 0 } } }, 'routing.outlier.consecutive_failures'],
    [{ routing: { outlier: { consecutive_failures: 2.5 } } }, 'routing.outlier.consecutive_failures'],
    [{ routing: { outlier: { base_ejection_seconds: -1 } } }, 'routing.outlier.base_ejection_seconds'],
    [{ routing: { outlier: 3 } }, 'routing.outlier'],
  ];
  for (const [raw, path] of bad) assert.throws(() => validateConfig(raw, 'f'), (e: unknown) => e instanceof ConfigError && e.path === path, path);
  assert.deepEqual(validateConfig({ routing: { outlier: { typo: 1 } } }, 'f').warnings, ['f: unknown key routing.outlier.typo (ignored)']);
});

test('server.workers defaults to 1, takes a count or "auto", and --workers overrides the file', () => {
  assert.equal(validateConfig({}, 'x').config.server.workers, 1);
  assert.equal(validateConfig({ server: { workers: 4 } }, 'x').config.server.workers, 4);
  assert.equal(validateConfig({ server: { workers: 'auto' } }, 'x').config.server.workers, 'auto');
  for (const bad of [0, 1.5, 'many', -2]) {
    assert.throws(() => validateConfig({ server: { workers: bad } }, 'x'), (e: ConfigError) => e instanceof ConfigError && e.path === 'server.workers');
  }
  withDir((dir) => {
    writeFileSync(join(dir, 'nexus.json'), JSON.stringify({ server: { workers: 2 } }));
    assert.equal(loadConfig({}, {}, dir).config.server.workers, 2);
    assert.equal(loadConfig({ workers: '3' }, {}, dir).config.server.workers, 3);
    assert.equal(loadConfig({ workers: 'auto' }, {}, dir).config.server.workers, 'auto');
    assert.throws(() => loadConfig({ workers: '0' }, {}, dir), (e: ConfigError) => e instanceof ConfigError && e.path === '--workers');
  });
});
