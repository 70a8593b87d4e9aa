// The HTTP server: HTTPS with a certificate made by openssl, the guard in front of every route, and
// the start-up warning when it listens beyond loopback with no key.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { defaultConfig } from '../../src/config/defaults.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { createLogger } from '../../src/logging/logger.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { backendEntry } from '../support/gateway-harness.js';
import { HAS_OPENSSL, makeCertificate } from '../support/tls-certificate.js';


function getTls(url: string, ca: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

test('server.tls serves HTTPS with the given certificate, access control included', { skip: HAS_OPENSSL ? false : 'openssl not installed; .ci/run installs it' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-tls-'));
  const sim = await SimulatedBackend.start({ type: 'ollama', models: ['llama3:8b'] });
  const { cert, key } = makeCertificate(dir);
  const config = defaultConfig();
  config.server.port = 0;
  config.logging.level = 'silent';
  config.logging.access = false;
  config.server.tls = { cert_file: cert, key_file: key };
  config.backends = [backendEntry('local', sim)];
  config.auth.keys = [{ name: 'ops', api_key_env: 'OPS', scopes: ['admin'] }];
  const gateway = new Gateway(config, { env: { OPS: 'sk-ops' } });
  try {
    const { port } = await gateway.start();
    const ca = readFileSync(cert);
    const health = await getTls(`https://127.0.0.1:${port}/health`, ca);
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).backends.total, 1);
    assert.equal((await getTls(`https://127.0.0.1:${port}/v1/backends`, ca)).status, 401);
    assert.equal((await getTls(`https://127.0.0.1:${port}/v1/backends`, ca, { authorization: 'Bearer sk-ops' })).status, 200);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/health`), 'plain HTTP is not served on the TLS port');
  } finally {
    await gateway.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function startupLines(host: string, keys: boolean): Promise<string[]> {
  const lines: string[] = [];
  const config = defaultConfig();
  config.server.host = host;
  config.server.port = 0;
  config.health_check.enabled = false;
  config.backends = [{ name: 'b', url: 'http://127.0.0.1:9', type: 'generic', priority: 1, models: ['m'] }];
  if (keys) config.auth.keys = [{ name: 'k', api_key_env: 'K', scopes: ['chat'] }];
  const gateway = new Gateway(config, { env: { K: 'secret' }, logger: createLogger('info', (line) => lines.push(line)) });
  await gateway.start();
  await gateway.stop();
  return lines.map((line) => JSON.parse(line) as { level: string; msg: string }).filter((l) => l.level === 'warn').map((l) => l.msg);
}

test('listening beyond loopback with no key configured logs one warning at start', async () => {
  const open = await startupLines('0.0.0.0', false);
  assert.equal(open.length, 1);
  assert.match(open[0] ?? '', /anyone who can reach this port/);
  assert.deepEqual(await startupLines('0.0.0.0', true), []);
  assert.deepEqual(await startupLines('127.0.0.1', false), []);
});
