import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGatewayConfig } from '../../bench/processes/gateway-config.js';
import { defaultConfig } from '../../src/index.js';

const settings = { backends: ['a', 'b'], backendUrl: 'http://127.0.0.1:9', metrics: true, roundRobin: true, workers: 2, maxConcurrent: 5000 };

test('the bench config points every backend name at the simulator and listens on port 0', () => {
  const { config } = buildGatewayConfig(settings);
  assert.equal(config.server.port, 0);
  assert.equal(config.routing.strategy, 'round_robin');
  assert.deepEqual(
    config.backends.map((b) => [b.name, b.url]),
    [
      ['a', 'http://127.0.0.1:9'],
      ['b', 'http://127.0.0.1:9'],
    ],
  );
});

test('optional keys are set exactly when this build has them, and the notes say which', () => {
  const { config, notes } = buildGatewayConfig(settings);
  const defaults = defaultConfig();
  const server = config.server as Record<string, unknown>;
  for (const [section, key, value] of [
    ['server', 'workers', 2],
    ['server', 'max_concurrent_requests', 5000],
    ['logging', 'access', true],
  ] as const) {
    const present = key in (defaults[section] as Record<string, unknown>);
    const note = notes.find((n) => n.startsWith(`${section}.${key}`));
    assert.ok(note !== undefined, `a note for ${section}.${key}`);
    assert.equal(note.includes('not in this build'), !present);
    if (present) assert.equal((config[section] as Record<string, unknown>)[key], value);
    else assert.equal(section === 'server' ? server[key] : undefined, undefined);
  }
});

test('max_concurrent_requests is left alone when the bench does not ask for it', () => {
  const { notes } = buildGatewayConfig({ ...settings, maxConcurrent: 0 });
  assert.ok(!notes.some((n) => n.includes('max_concurrent_requests')));
});
