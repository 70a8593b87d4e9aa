// Access control end to end (SPEC 8): keys with scopes checked before any body is read, the OpenAI
// SDK's typed errors, exact rate limits and per-key counters, and no secret anywhere.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { defaultConfig } from '../../src/config/defaults.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { createLogger } from '../../src/logging/logger.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { parsePrometheusText, sumSamples } from '../support/prometheus-text.js';
import { backendEntry, chatBody, waitFor } from '../support/gateway-harness.js';

// Secrets with characters that would break naive quoting or escaping.
const SECRETS = {
  CHATTER_KEY: 'sk-chat-"quoted"\\slash',
  LIMITED_KEY: 'sk-limited-<b>&amp;',
  SCRAPER_KEY: 'sk-scrape-9f8e7d',
  OPS_KEY: 'sk-ops-{json}:[1]',
  SMALL_KEY: 'sk-small-%41%0a',
};

let sim: SimulatedBackend;
let gateway: Gateway;
let url: string;
const logLines: string[] = [];

before(async () => {
  sim = await SimulatedBackend.start({ type: 'ollama', models: ['llama3:8b', 'qwen2:7b'] });
  const config = defaultConfig();
  config.server.port = 0;
  config.server.shutdown_drain_seconds = 1;
  config.health_check.interval_seconds = 3600;
  config.logging.level = 'debug';
  config.backends = [backendEntry('local', sim)];
  config.routing.aliases = { 'gpt-4o-mini': 'qwen2:7b' };
  config.auth.keys = [
    { name: 'chatter', api_key_env: 'CHATTER_KEY', scopes: ['chat'] },
    { name: 'limited', api_key_env: 'LIMITED_KEY', scopes: ['chat'], rate_limit_rpm: 3 },
    { name: 'scraper', api_key_env: 'SCRAPER_KEY', scopes: ['metrics'] },
    { name: 'ops', api_key_env: 'OPS_KEY', scopes: ['admin'] },
    { name: 'small', api_key_env: 'SMALL_KEY', scopes: ['chat'], models: ['gpt-4o-mini'] },
  ];
  gateway = new Gateway(config, { env: SECRETS, logger: createLogger('debug', (line) => logLines.push(line)), accessLog: (line) => logLines.push(line) });
  const address = await gateway.start();
  url = `http://127.0.0.1:${address.port}`;
});

after(async () => {
  await gateway.stop();
  await sim.stop();
});

async function get(path: string, key?: string): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url + path, { headers: key === undefined ? {} : { authorization: `Bearer ${key}` } });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text, headers: response.headers };
}

async function post(body: unknown, key?: string): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text, headers: response.headers };
}

async function metrics(): Promise<ReturnType<typeof parsePrometheusText>> {
  return parsePrometheusText((await get('/metrics', SECRETS.OPS_KEY)).body as string);
}

test('every endpoint answers per SPEC 8: open, 401 without a key, 403 without the scope, 200 with it', async () => {
  const cases: [string, string | undefined, number, string?][] = [
    ['/health', undefined, 200],
    ['/v1/models', undefined, 401, 'invalid_api_key'],
    ['/v1/models', 'sk-wrong', 401, 'invalid_api_key'],
    ['/v1/models', SECRETS.SCRAPER_KEY, 403, 'insufficient_scope'],
    ['/v1/models', SECRETS.CHATTER_KEY, 200],
    ['/metrics', undefined, 401, 'invalid_api_key'],
    ['/metrics', SECRETS.CHATTER_KEY, 403, 'insufficient_scope'],
    ['/metrics', SECRETS.SCRAPER_KEY, 200],
    ['/metrics', SECRETS.OPS_KEY, 200],
    ['/v1/stats', SECRETS.SCRAPER_KEY, 403, 'insufficient_scope'],
    ['/v1/stats', SECRETS.OPS_KEY, 200],
    ['/v1/backends', SECRETS.CHATTER_KEY, 403, 'insufficient_scope'],
    ['/v1/backends', SECRETS.OPS_KEY, 200],
    ['/no-such-route', undefined, 401, 'invalid_api_key'],
    ['/no-such-route', SECRETS.CHATTER_KEY, 404, 'not_found'],
  ];
  for (const [path, key, status, code] of cases) {
    const response = await get(path, key);
    assert.equal(response.status, status, `${path} with ${key === undefined ? 'no key' : 'a key'}`);
    if (code !== undefined) {
      assert.equal(response.body.error.code, code, path);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    }
  }
  assert.equal((await get('/v1/models', undefined)).headers.get('www-authenticate'), 'Bearer');
  assert.equal((await post(chatBody('llama3:8b'))).status, 401);
  assert.equal((await post(chatBody('llama3:8b'), SECRETS.SCRAPER_KEY)).status, 403);
  assert.equal((await post(chatBody('llama3:8b'), SECRETS.OPS_KEY)).status, 200, 'admin implies chat');
});

test('the official OpenAI SDK raises its typed errors and works with a good key', async () => {
  const client = (apiKey: string): OpenAI => new OpenAI({ apiKey, baseURL: `${url}/v1`, maxRetries: 0 });
  const reply = await client(SECRETS.CHATTER_KEY).chat.completions.create({ model: 'llama3:8b', messages: [{ role: 'user', content: 'Hi' }] });
  assert.equal(reply.object, 'chat.completion');
  await assert.rejects(client('sk-nope').chat.completions.create({ model: 'llama3:8b', messages: [] }), OpenAI.AuthenticationError);
  await assert.rejects(client(SECRETS.SCRAPER_KEY).models.list(), OpenAI.PermissionDeniedError);
  await assert.rejects(client(SECRETS.SMALL_KEY).chat.completions.create({ model: 'llama3:8b', messages: [] }), (e: unknown) => e instanceof OpenAI.PermissionDeniedError && (e as { code?: string }).code === 'model_not_allowed');
  const viaAlias = await client(SECRETS.SMALL_KEY).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
  assert.equal(viaAlias.object, 'chat.completion');
});

test('the rate limit is exact: 3 of 10 concurrent requests pass, the rest get 429 with Retry-After', async () => {
  const before = await metrics();
  const results = await Promise.all(Array.from({ length: 10 }, () => post(chatBody('llama3:8b'), SECRETS.LIMITED_KEY)));
  const ok = results.filter((r) => r.status === 200);
  const limited = results.filter((r) => r.status === 429);
  assert.equal(ok.length, 3);
  assert.equal(limited.length, 7);
  for (const r of limited) {
    assert.equal(r.body.error.code, 'rate_limit_exceeded');
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
  }
  const OpenAIClient = new OpenAI({ apiKey: SECRETS.LIMITED_KEY, baseURL: `${url}/v1`, maxRetries: 0 });
  await assert.rejects(OpenAIClient.chat.completions.create({ model: 'llama3:8b', messages: [] }), OpenAI.RateLimitError);
  const after = await metrics();
  const delta = (name: string, labels: Record<string, string>): number => sumSamples(after, name, labels) - sumSamples(before, name, labels);
  assert.equal(delta('nexus_client_requests_total', { key: 'limited', status: '429' }), 8);
  assert.equal(delta('nexus_client_requests_total', { key: 'limited', status: '200' }), 3);
  assert.equal(delta('nexus_requests_total', { model: '_unknown', backend: 'none', status: '429' }), 8);
  assert.equal(delta('nexus_errors_total', { error_type: 'rate_limited' }), 8);
});

test('10,000 wrong keys are each refused with 401, and the gateway keeps serving', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const statuses = new Map<number, number>();
  const send = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = http.request(`${url}/v1/chat/completions`, { method: 'POST', agent, headers: { authorization: `Bearer sk-guess-${i}`, 'content-type': 'application/json' } }, (res) => {
        statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(JSON.stringify(chatBody('llama3:8b')));
    });
  for (let batch = 0; batch < 10_000; batch += 500) await Promise.all(Array.from({ length: 500 }, (_, i) => send(batch + i)));
  agent.destroy();
  assert.deepEqual([...statuses], [[401, 10_000]]);
  assert.equal((await post(chatBody('llama3:8b'), SECRETS.CHATTER_KEY)).status, 200);
  const m = await metrics();
  const keys = new Set(m.get('nexus_client_requests_total')?.samples.map((s) => s.labels.key));
  const known = new Set(['chatter', 'limited', 'ops', 'scraper', 'small']);
  assert.deepEqual([...keys].filter((key) => !known.has(key as string)), [], 'a wrong key never gets a key series');
});

test('per-key counters are exact under 1,000 concurrent mixed requests from several keys', async () => {
  const before = await metrics();
  const plan = Array.from({ length: 1000 }, (_, i) => {
    const key = [SECRETS.CHATTER_KEY, SECRETS.OPS_KEY, SECRETS.SMALL_KEY, SECRETS.SCRAPER_KEY, 'sk-unknown'][i % 5] as string;
    const model = i % 3 === 0 ? 'gpt-4o-mini' : 'llama3:8b';
    return { key, body: chatBody(model, i % 2 === 0 ? { stream: true } : {}) };
  });
  const results = await Promise.all(plan.map(({ key, body }) => post(body, key)));
  const after = await metrics();
  const names: Record<string, string> = { [SECRETS.CHATTER_KEY]: 'chatter', [SECRETS.OPS_KEY]: 'ops', [SECRETS.SMALL_KEY]: 'small', [SECRETS.SCRAPER_KEY]: 'scraper' };
  const seen = new Map<string, number>();
  for (const [i, result] of results.entries()) {
    const name = names[plan[i]!.key];
    if (name !== undefined) seen.set(`${name} ${result.status}`, (seen.get(`${name} ${result.status}`) ?? 0) + 1);
  }
  assert.ok((seen.get('small 403') ?? 0) > 0 && (seen.get('scraper 403') ?? 0) > 0 && (seen.get('chatter 200') ?? 0) > 0);
  for (const [entry, count] of seen) {
    const [key, status] = entry.split(' ') as [string, string];
    const delta = sumSamples(after, 'nexus_client_requests_total', { key, status }) - sumSamples(before, 'nexus_client_requests_total', { key, status });
    assert.equal(delta, count, entry);
  }
  const total = sumSamples(after, 'nexus_requests_total') - sumSamples(before, 'nexus_requests_total');
  assert.equal(total, 1000);
  const stats = (await get('/v1/stats', SECRETS.OPS_KEY)).body;
  for (const key of stats.keys) {
    assert.equal(key.requests, sumSamples(after, 'nexus_client_requests_total', { key: key.name }), key.name);
    assert.equal(key.prompt_tokens, sumSamples(after, 'nexus_client_tokens_total', { key: key.name, type: 'prompt' }));
    assert.equal(key.completion_tokens, sumSamples(after, 'nexus_client_tokens_total', { key: key.name, type: 'completion' }));
  }
  assert.deepEqual(stats.keys.map((k: { name: string }) => k.name), ['chatter', 'limited', 'ops', 'scraper', 'small']);
  assert.ok(stats.keys.find((k: { name: string }) => k.name === 'chatter').completion_tokens > 0, 'streams and JSON report tokens per key');
  await waitFor(() => gateway.fleet.all().every((b) => b.pending === 0));
});

test("the client's Authorization never goes upstream with access control on", async () => {
  sim.received.length = 0;
  assert.equal((await post(chatBody('llama3:8b'), SECRETS.CHATTER_KEY)).status, 200);
  assert.equal(sim.received.at(-1)?.headers.authorization, undefined);
});

test('no secret appears in any log line, metric, stats, backends list or error body', async () => {
  const bodies = [
    (await get('/metrics', SECRETS.OPS_KEY)).body,
    JSON.stringify((await get('/v1/stats', SECRETS.OPS_KEY)).body),
    JSON.stringify((await get('/v1/backends', SECRETS.OPS_KEY)).body),
    JSON.stringify((await post(chatBody('llama3:8b'), SECRETS.SCRAPER_KEY)).body),
    JSON.stringify((await post(chatBody('llama3:8b'), `${SECRETS.CHATTER_KEY}x`)).body),
    JSON.stringify((await post(chatBody('llama3:8b'), SECRETS.SMALL_KEY)).body),
    logLines.join(''),
  ];
  assert.ok(logLines.length > 0);
  for (const secret of Object.values(SECRETS)) for (const text of bodies) assert.equal(String(text).includes(secret), false, `a secret leaked into ${String(text).slice(0, 60)}`);
});
