// SPEC 2.2: secrets (API keys, URL credentials) never appear in /v1/backends, logs, metrics or error
// bodies, whatever characters they contain.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/logging/logger.js';
import { Gateway } from '../../src/gateway/gateway.js';
import type { NexusConfig } from '../../src/config/types.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { backendEntry, chat, chatBody, testConfig } from '../support/gateway-harness.js';

const KEY = 'sk-first-half-9f8e7d\nsk-second-half-6c5b4a';
const PIECES = ['sk-first-half-9f8e7d', 'sk-second-half-6c5b4a'];

async function everythingShown(config: NexusConfig, requests: (url: string) => Promise<string[]>): Promise<string> {
  const lines: string[] = [];
  const gateway = new Gateway(config, { logger: createLogger('debug', (line) => lines.push(line)), env: { BAD_KEY: KEY } });
  const url = `http://127.0.0.1:${(await gateway.start()).port}`;
  try {
    const bodies = await requests(url);
    for (const path of ['/v1/backends', '/metrics', '/v1/stats', '/health', '/v1/models']) bodies.push(await (await fetch(url + path)).text());
    return [...bodies, ...lines].join('\n');
  } finally {
    await gateway.stop();
  }
}

function assertNoSecret(text: string): void {
  for (const piece of PIECES) assert.ok(!text.includes(piece), `secret piece ${piece} leaked:\n${text.split('\n').filter((l) => l.includes(piece)).join('\n')}`);
}

test('an API key with a line break: the failed attempt answers 502 without quoting the header', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  try {
    const config = testConfig([backendEntry('keyed', sim, { api_key_env: 'BAD_KEY', models: ['m'] })], (c) => {
      c.health_check.enabled = false;
    });
    const shown = await everythingShown(config, async (url) => {
      const json = await chat(url, chatBody('m'));
      const stream = await chat(url, chatBody('m', { stream: true }));
      assert.equal(json.status, 502);
      assert.equal(json.json().error.code, 'backend_error');
      assert.equal(stream.status, 502);
      return [json.text, stream.text];
    });
    assertNoSecret(shown);
  } finally {
    await sim.stop();
  }
});

test('an API key with a line break: health checks fail without the key reaching /v1/backends or the log', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  try {
    const config = testConfig([backendEntry('keyed', sim, { api_key_env: 'BAD_KEY' })], (c) => {
      c.logging.level = 'debug';
    });
    const shown = await everythingShown(config, async (url) => {
      const backends = (await (await fetch(`${url}/v1/backends`)).json()) as { backends: { status: string; last_error: string | null }[] };
      assert.equal(backends.backends[0]?.status, 'unhealthy');
      assert.equal(typeof backends.backends[0]?.last_error, 'string');
      return [(await chat(url, chatBody('m'))).text];
    });
    assertNoSecret(shown);
  } finally {
    await sim.stop();
  }
});

test('a backend URL with credentials given in code (not through load) shows none of them', async () => {
  const config = testConfig([{ name: 'creds', url: 'http://admin:hunter2-pw@127.0.0.1:1', type: 'vllm', priority: 50 }], (c) => {
    c.logging.level = 'debug';
  });
  const shown = await everythingShown(config, async (url) => {
    const backends = (await (await fetch(`${url}/v1/backends`)).json()) as { backends: { url: string }[] };
    assert.equal(backends.backends[0]?.url, 'http://[redacted]@127.0.0.1:1');
    return [(await chat(url, chatBody('m'))).text];
  });
  assert.ok(!shown.includes('hunter2-pw'), shown);
});
