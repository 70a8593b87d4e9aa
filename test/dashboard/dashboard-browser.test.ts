// The dashboard in a real browser: headless Chromium loads GET / from a live gateway with traffic
// and its rendered DOM must show that traffic; markup in a model name must stay text.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gateway, defaultConfig, type NexusConfig } from '../../src/index.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { CHROMIUM_MISSING, dumpDom, hasChromium, screenshot } from '../support/chromium.js';
import { startIdleGateway } from '../support/gateway-harness.js';
import { projectPath } from '../support/project-root.js';
import { fullStats, startStub } from '../support/dashboard-stub.js';

const XSS_MODEL = '<img src=x onerror=alert(1)>';
const SKIP = hasChromium() ? false : CHROMIUM_MISSING;
// Chat requests sent each time the page polls /v1/stats, so the rate charts have something to draw
// although virtual time runs far faster than the wall clock.
const PACE = [3, 6, 4, 8, 5, 2, 7, 4];

const sims: SimulatedBackend[] = [];
const inflight = new Set<Promise<unknown>>();
let gateway: Gateway;
let url = '';
let dom = '';
let stats: any;
let polls = 0;

function chat(model: string, stream = false): Promise<number> {
  const body = { model, stream, ...(stream ? { stream_options: { include_usage: true } } : {}), messages: [{ role: 'user', content: 'Hi' }] };
  const sent = fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    .then(async (res) => (await res.arrayBuffer(), res.status));
  inflight.add(sent);
  void sent.finally(() => inflight.delete(sent));
  return sent;
}

function paceTraffic(): void {
  const n = PACE[polls++ % PACE.length] as number;
  for (let i = 0; i < n; i++) void chat(i % 3 === 1 ? 'mistral-7b' : 'llama3:8b', i % 2 === 1);
  if (polls % 3 === 0) void chat('broken-model');
}

const decode = (s: string): string => s.replace(/<[^>]*>/g, '').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');

/** The body rows of the table with this id, as decoded cell texts. */
function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...(row[1] as string).matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => decode(cell[1] as string)));
}

function textOf(html: string, id: string): string {
  return decode(new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</span>`).exec(html)?.[1] ?? '');
}

const count = (text: string): number => Number(text.replaceAll(',', ''));

before(async () => {
  if (SKIP !== false) return;
  const ollama = await SimulatedBackend.start({ type: 'ollama', models: ['llama3:8b', XSS_MODEL], latencyMs: 5, recordRequests: false });
  const vllm = await SimulatedBackend.start({ type: 'vllm', models: ['mistral-7b'], latencyMs: 10, recordRequests: false });
  const broken = await SimulatedBackend.start({ type: 'vllm', models: ['broken-model'], recordRequests: false });
  broken.mode = 'error500';
  sims.push(ollama, vllm, broken);
  const config = defaultConfig();
  config.server.port = 0;
  config.server.shutdown_drain_seconds = 1;
  config.logging.level = 'silent';
  config.health_check.interval_seconds = 3600;
  config.backends = [
    { name: 'ollama-main', url: ollama.url, type: 'ollama', priority: 10 },
    { name: 'vllm-gpu', url: vllm.url, type: 'vllm', priority: 20 },
    { name: 'vllm-broken', url: broken.url, type: 'vllm', priority: 30 },
  ];
  gateway = new Gateway(config);
  url = `http://127.0.0.1:${(await gateway.start()).port}`;
  for (let i = 0; i < 3; i++) assert.equal(await chat('llama3:8b'), 200);
  assert.equal(await chat('mistral-7b', true), 200);
  assert.equal(await chat(XSS_MODEL), 200);
  assert.equal(await chat('broken-model'), 502);
  gateway.server.on('request', (req) => req.url === '/v1/stats' && paceTraffic());
  dom = await dumpDom(`${url}/`, 12_000);
  stats = await (await fetch(`${url}/v1/stats`)).json();
});

after(async () => {
  if (SKIP !== false) return;
  await Promise.allSettled([...inflight]);
  await gateway.stop();
  await Promise.all(sims.map((sim) => sim.stop()));
});

test('the dashboard shows live totals, models and backends from the gateway', { skip: SKIP }, () => {
  assert.equal(textOf(dom, 'conn'), 'live');
  assert.ok(count(textOf(dom, 'kpi-total')) >= 6, textOf(dom, 'kpi-total'));
  assert.ok(count(textOf(dom, 'kpi-errors')) >= 1, textOf(dom, 'kpi-errors'));
  const models = tableRows(dom, 'models');
  const llama = models.find((row) => row[0] === 'llama3:8b');
  assert.ok(llama !== undefined, JSON.stringify(models));
  assert.ok(count(llama[1] as string) >= 3, `llama3:8b requests: ${llama[1]}`);
  const reported = stats.models.find((m: any) => m.name === 'llama3:8b');
  // Percentiles show as numbers once /v1/stats reports them, as the dash until then.
  assert.equal(/\d/.test(llama[3] as string), reported.p50_ms > 0, `p50 cell ${llama[3]}`);
  const backends = tableRows(dom, 'backends');
  assert.deepEqual(backends.map((row) => row[0]), ['ollama-main', 'vllm-broken', 'vllm-gpu']);
  for (const row of backends) {
    const backend = stats.backends.find((b: any) => b.id === row[0]);
    assert.equal(row[1], typeof backend.status === 'string' ? backend.status : '–', `status of ${row[0]}`);
  }
});

test('the request-rate chart is an SVG line drawn from the deltas between polls', { skip: SKIP }, () => {
  const chart = /<div id="chart-requests"[^>]*>([\s\S]*?)<\/div>/.exec(dom)?.[1] ?? '';
  assert.match(chart, /^<svg /);
  const line = /<path d="([^"]+)" class="line">/.exec(chart)?.[1] ?? '';
  const area = /<path d="([^"]+)" class="area">/.exec(chart)?.[1] ?? '';
  const ys = [...line.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));
  const baseline = Number(/,([\d.]+)Z$/.exec(area)?.[1]);
  assert.ok(ys.length >= 3, `points: ${line}`);
  assert.ok(Math.min(...ys) < baseline, `a non-zero rate is drawn above the baseline ${baseline}: ${line}`);
});

test('recent failures are listed once /v1/stats reports them, the dash until then', { skip: SKIP }, () => {
  const rows = tableRows(dom, 'errors');
  if (Array.isArray(stats.recent_errors)) {
    assert.ok(rows.some((row) => row.includes('broken-model')), JSON.stringify(rows));
  } else {
    assert.deepEqual(rows, [['–']]);
  }
});

test('a model name holding markup is rendered as text, never as an element', { skip: SKIP }, () => {
  assert.doesNotMatch(dom, /<img/i);
  assert.ok(dom.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(tableRows(dom, 'models').some((row) => row[0] === XSS_MODEL));
});

test('every optional stats field renders: percentiles, status, ejection, attempts, fallbacks, failures, keys', { skip: SKIP }, async () => {
  let total = 1000;
  const stub = await startStub(() => ({ status: 200, body: fullStats((total += 10)) }));
  try {
    const page = await dumpDom(stub.url, 8_000);
    assert.deepEqual(tableRows(page, 'models'), [['llama3:8b', '940', '640 ms', '512 ms', '1.83 s', '88.1 ms', '–']]);
    const [a, b, c, d] = tableRows(page, 'backends');
    assert.deepEqual(a, ['gpu-a', 'healthy', '–', '7', '900', '812 ms', 'success 900timeout 2']);
    assert.deepEqual([b?.[0], b?.[1], b?.[5], b?.[6]], ['gpu-b', 'healthy', '–', 'success 37server_error 3']);
    assert.match(b?.[2] ?? '', /^\d\d:\d\d:\d\d \(in (59|60)m \d\ds\)$/);
    assert.deepEqual([c?.[0], c?.[1], c?.[2], d?.[0], d?.[1], d?.[6]], ['gpu-c', 'unhealthy', '–', 'gpu-d', 'unknown', '–']);
    assert.match(page, /<span class="badge badge-bad">unhealthy<\/span>/);
    assert.match(page, /<span class="badge badge-idle">unknown<\/span>/);
    assert.deepEqual(tableRows(page, 'fallbacks'), [['llama3:70b', 'llama3:8b', '31'], ['qwen2:72b', 'qwen2:7b', '4']]);
    assert.deepEqual(tableRows(page, 'keys'), [['ci-bot', '812', '3', '91,823', '401,233']]);
    const [failure] = tableRows(page, 'errors');
    assert.deepEqual(failure?.slice(1), ['502', 'backend_error', 'llama3:8b', 'gpu-b', 'req-7', '<b>upstream</b> said 500']);
    assert.doesNotMatch(page, /<b>upstream/);
    assert.equal(textOf(page, 'kpi-fallbacks'), '35');
    assert.equal(textOf(page, 'kpi-healthy'), '2 / 4');
    // 10 more requests per poll, one poll every 2 s of virtual time (plus the fetch's own time).
    const rate = textOf(page, 'kpi-rate');
    assert.ok(/^\d\.\d\d\/s$/.test(rate) && Math.abs(Number.parseFloat(rate) - 5) < 0.5, rate);
  } finally {
    await stub.close();
  }
});

/** A gateway with no backend traffic, counting the page's polls of /v1/stats. */
async function startQuietGateway(tweak: (config: NexusConfig) => void, env: NodeJS.ProcessEnv, seen: (string | undefined)[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const quiet = await startIdleGateway(tweak, env);
  quiet.gateway.server.on('request', (req) => req.url === '/v1/stats' && seen.push(req.headers.authorization));
  return { url: `${quiet.url}/`, stop: () => quiet.close() };
}

test('with access control on, the page asks for a key on 401 and stops polling until one is entered', { skip: SKIP }, async () => {
  const seen: (string | undefined)[] = [];
  const guarded = await startQuietGateway((c) => (c.auth.keys = [{ name: 'ops', api_key_env: 'OPS_KEY', scopes: ['admin'] }]), { OPS_KEY: 'sk-ops' }, seen);
  try {
    const locked = await dumpDom(guarded.url, 8_000);
    assert.equal(textOf(locked, 'conn'), 'error · HTTP 401');
    assert.match(locked, /<form id="auth" class="card auth">/, 'form no longer hidden');
    assert.deepEqual(seen, [undefined], 'one poll, no key sent before one is entered');
  } finally {
    await guarded.stop();
  }
});

test('a 503 from /v1/stats (metrics disabled) shows in the status and polling goes on', { skip: SKIP }, async () => {
  const seen: (string | undefined)[] = [];
  const disabled = await startQuietGateway((c) => (c.metrics.enabled = false), {}, seen);
  try {
    const failing = await dumpDom(disabled.url, 8_000);
    assert.equal(textOf(failing, 'conn'), 'error · HTTP 503');
    assert.match(failing, /<form id="auth" class="card auth" hidden="">/);
    assert.ok(seen.length >= 3, `polls: ${seen.length}`);
  } finally {
    await disabled.stop();
  }
});

function pngSize(path: string): { width: number; height: number } {
  const png = readFileSync(path);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test('laptop and phone screenshots render (NEXUS_UPDATE_SCREENSHOT=1 refreshes deploy/dashboard.png)', { skip: SKIP }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-shot-'));
  try {
    const laptop = join(dir, 'laptop.png');
    const phone = join(dir, 'phone.png');
    await screenshot(`${url}/`, laptop, 1280, 900, 120_000);
    await screenshot(`${url}/`, phone, 500, 1000, 20_000);
    assert.deepEqual(pngSize(laptop), { width: 1280, height: 900 });
    assert.deepEqual(pngSize(phone), { width: 500, height: 1000 });
    // Opt-in, like a golden-file update: a normal run never rewrites a tracked file.
    if (process.env.NEXUS_UPDATE_SCREENSHOT === '1') {
      mkdirSync(projectPath('deploy'), { recursive: true });
      copyFileSync(laptop, projectPath('deploy', 'dashboard.png'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
