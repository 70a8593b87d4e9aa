// The HTTP server: HTTPS with a certificate made by openssl, the guard in front of every route, and
// the start-up warning when it listens beyond loopback with no key, the log line of a handler that throws.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { defaultConfig } from '../../src/config/defaults.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { createLogger } from '../../src/logging/logger.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { RouteTable } from '../../src/server/route-table.js';
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

test('a handler that throws is a 500 envelope and one error log line carrying the request id', async () => {
  const lines: string[] = [];
  const routes = new RouteTable()
    .on('GET', '/sync', () => {
      throw new Error('boom');
    })
    .on('GET', '/async', async () => {
      throw new Error('late boom');
    })
    .on('GET', '/own-id', (_req, res) => {
      res.setHeader('x-request-id', 'handler-id-7');
      throw new Error('boom after choosing an id');
    });
  const { server } = createHttpServer(routes, createLogger('error', (line) => lines.push(line)), { headersTimeoutMs: 5000, writeStallTimeoutMs: 5000, guard: null, tls: null });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const logged = (): Record<string, unknown>[] => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  try {
    const sync = await fetch(`${base}/sync`, { headers: { 'x-request-id': 'client-id-1' } });
    assert.equal(sync.status, 500);
    assert.equal(((await sync.json()) as { error: { code: string } }).error.code, 'internal_error');
    assert.equal(sync.headers.get('x-request-id'), 'client-id-1');
    assert.deepEqual(logged().map((l) => [l.msg, l.request_id]), [['request failed', 'client-id-1']]);

    // No id from the client: the generated one is logged and sent, so the two can be matched.
    const late = await fetch(`${base}/async`);
    assert.equal(late.status, 500);
    await late.text();
    const generated = late.headers.get('x-request-id');
    assert.match(generated ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(logged()[1]?.request_id, generated);

    // An id the handler already chose wins over the client's.
    const own = await fetch(`${base}/own-id`, { headers: { 'x-request-id': 'client-id-2' } });
    assert.equal(own.status, 500);
    await own.text();
    assert.equal(own.headers.get('x-request-id'), 'handler-id-7');
    assert.equal(logged()[2]?.request_id, 'handler-id-7');
    assert.equal(lines.length, 3);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
