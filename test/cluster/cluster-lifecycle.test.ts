// A real `nexus serve --workers 2` group: one health prober for the group, a worker killed mid-load
// (totals monotonic and within the push bound), group-wide rate limits, and a clean SIGTERM.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { PUSH_INTERVAL_MS } from '../../src/cluster/metrics-pusher.js';
import { sumSamples } from '../support/prometheus-text.js';
import { backendEntry, chat, chatBody, testConfig } from '../support/gateway-harness.js';
import { isAlive, scrapeGroup, startCluster } from '../support/cluster-harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('the backends see one health probe per interval from a group of 2 workers, and every worker routes by it', async () => {
  const backend = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const group = await startCluster(testConfig([backendEntry('only', backend)], (c) => (c.health_check.interval_seconds = 0.25)), 2);
  try {
    const from = backend.probes;
    const started = Date.now();
    await sleep(1500);
    const probes = backend.probes - from;
    const intervals = (Date.now() - started) / 250;
    // One checker: about one probe per interval (timer drift only makes it fewer); two would double it.
    assert.ok(probes <= intervals + 1, `${probes} probes in ${intervals.toFixed(1)} intervals`);
    assert.ok(probes >= 2, `${probes} probes`);
    for (let i = 0; i < 4; i++) assert.equal((await chat(group.url, chatBody('m'))).status, 200);
    const listed = (await (await fetch(`${group.url}/v1/backends`)).json()) as { backends: { status: string; last_check: unknown }[] };
    assert.equal(listed.backends[0]!.status, 'healthy');
  } finally {
    assert.equal(await group.stop(), 0);
    await backend.stop();
  }
});

test('a worker killed mid-load loses at most what it completed since its last push; totals never go backwards', async (t) => {
  const backend = await SimulatedBackend.start({ type: 'vllm', models: ['m'], recordRequests: false });
  const group = await startCluster(testConfig([backendEntry('only', backend)]), 2);
  try {
    let running = true;
    const completions: number[] = [];
    const client = async (): Promise<void> => {
      while (running) {
        try {
          if ((await chat(group.url, chatBody('m'))).status === 200) completions.push(Date.now());
        } catch {
          // A request in flight on the killed worker: the client saw no answer.
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    const totals: number[] = [];
    const cpu: number[] = [];
    const scraper = (async () => {
      while (running) {
        // A scrape whose connection was on the killed worker fails, as Prometheus would see it: no
        // data point, try again.
        const m = await scrapeGroup(group.url).catch(() => null);
        if (m === null) continue;
        totals.push(sumSamples(m, 'nexus_requests_total'));
        cpu.push(sumSamples(m, 'process_cpu_seconds_total'));
        await sleep(40);
      }
    })();
    await sleep(600);
    const [victim] = group.workerPids();
    process.kill(victim!, 'SIGKILL');
    const killedAt = Date.now();
    await sleep(900);
    running = false;
    await Promise.all([...clients, scraper]);
    await sleep(300);
    const final = sumSamples(await scrapeGroup(group.url), 'nexus_requests_total');
    for (let i = 1; i < totals.length; i++) assert.ok(totals[i]! >= totals[i - 1]!, `scrape ${i}: ${totals[i]} after ${totals[i - 1]}`);
    for (let i = 1; i < cpu.length; i++) assert.ok(cpu[i]! >= cpu[i - 1]!, `process_cpu_seconds_total went back at scrape ${i}`);
    assert.ok(final >= totals[totals.length - 1]!);
    // Lost: requests the clients saw answered that the group never counted. Only the killed worker's
    // completions since its last push can be missing: bounded here by every completion (both
    // workers') in one push interval before the kill, plus 50 ms for timer drift on a loaded machine.
    const lost = completions.length - final;
    const bound = completions.filter((c) => c > killedAt - PUSH_INTERVAL_MS - 50 && c <= killedAt + 50).length;
    t.diagnostic(`completed ${completions.length}, counted ${final}, lost ${lost}, bound ${bound}, scrapes ${totals.length}`);
    assert.ok(lost >= 0, `the group counted ${final}, more than the ${completions.length} answers clients saw`);
    assert.ok(lost <= bound, `lost ${lost} completed requests, bound ${bound}`);
    assert.equal(group.workerPids().length, 2, 'the dead worker was replaced');
    assert.match(group.stderr(), /worker died/);
  } finally {
    assert.equal(await group.stop(), 0);
    await backend.stop();
  }
});

test('a per-key rate limit holds for the group, not per worker', async () => {
  const backend = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const config = testConfig([backendEntry('only', backend)], (c) => {
    c.auth.keys = [{ name: 'team', api_key_env: 'TEAM_KEY', scopes: ['chat', 'admin'], rate_limit_rpm: 6 }];
  });
  const group = await startCluster(config, 2, { TEAM_KEY: 'secret-team-key' });
  try {
    const statuses: number[] = [];
    // A new connection per request, so the workers take turns.
    for (let i = 0; i < 12; i++) statuses.push((await chat(group.url, chatBody('m'), { authorization: 'Bearer secret-team-key', connection: 'close' })).status);
    assert.equal(statuses.filter((s) => s === 200).length, 6);
    assert.equal(statuses.filter((s) => s === 429).length, 6);
    const stats = (await (await fetch(`${group.url}/v1/stats`, { headers: { authorization: 'Bearer secret-team-key' } })).json()) as { keys: { name: string; requests: number; errors: number }[] };
    assert.deepEqual(stats.keys.map((k) => [k.name, k.requests, k.errors]), [['team', 12, 6]]);
  } finally {
    assert.equal(await group.stop(), 0);
    await backend.stop();
  }
});

test('SIGTERM drains every worker and the group exits 0 with no worker left behind', async () => {
  const backend = await SimulatedBackend.start({ type: 'vllm', models: ['m'], latencyMs: 300 });
  const group = await startCluster(testConfig([backendEntry('only', backend)]), 2);
  const workers = group.workerPids();
  assert.equal(workers.length, 2);
  const inFlight = chat(group.url, chatBody('m'));
  await sleep(100);
  const code = await group.stop();
  assert.equal(code, 0);
  assert.equal((await inFlight).status, 200, 'the request in flight finished during the drain');
  for (const pid of workers) assert.equal(isAlive(pid), false, `worker ${pid} outlived the primary`);
  await backend.stop();
});

test('workers whose primary is killed drain and exit on their own: no orphans', async () => {
  const backend = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const group = await startCluster(testConfig([backendEntry('only', backend)]), 2);
  const workers = group.workerPids();
  assert.equal(workers.length, 2);
  group.child.kill('SIGKILL');
  const until = Date.now() + 5000;
  while (workers.some(isAlive) && Date.now() < until) await sleep(50);
  for (const pid of workers) assert.equal(isAlive(pid), false, `worker ${pid} outlived its killed primary`);
  await backend.stop();
});

test('SIGHUP to the primary makes every worker re-read its key files', async () => {
  const backend = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const dir = mkdtempSync(join(tmpdir(), 'nexus-keys-'));
  const keyFile = join(dir, 'team.key');
  writeFileSync(keyFile, 'old-secret\n');
  const config = testConfig([backendEntry('only', backend)], (c) => {
    c.auth.keys = [{ name: 'team', key_file: keyFile, scopes: ['chat'] }];
  });
  const group = await startCluster(config, 2);
  try {
    const statusWith = async (key: string) => (await chat(group.url, chatBody('m'), { authorization: `Bearer ${key}`, connection: 'close' })).status;
    assert.equal(await statusWith('old-secret'), 200);
    writeFileSync(keyFile, 'new-secret\n');
    group.child.kill('SIGHUP');
    const until = Date.now() + 3000;
    while ((await statusWith('new-secret')) !== 200 && Date.now() < until) await sleep(50);
    // New connections reach both workers in turn: every one has the new key, none the old one.
    for (let i = 0; i < 4; i++) {
      assert.equal(await statusWith('new-secret'), 200);
      assert.equal(await statusWith('old-secret'), 401);
    }
  } finally {
    assert.equal(await group.stop(), 0);
    await backend.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a worker tells clients to retry when the primary checks next, not after 1 s', async () => {
  const backend = await SimulatedBackend.start({ type: 'vllm', models: ['m'] });
  const url = backend.url;
  await backend.stop();
  const group = await startCluster(testConfig([{ name: 'down', url, type: 'vllm', priority: 50, models: ['m'] }], (c) => (c.health_check.interval_seconds = 20)), 2);
  try {
    const answer = await chat(group.url, chatBody('m'));
    assert.equal(answer.status, 503);
    const retryAfter = Number(answer.headers.get('retry-after'));
    assert.ok(retryAfter > 10 && retryAfter <= 20, `Retry-After ${retryAfter}`);
  } finally {
    assert.equal(await group.stop(), 0);
  }
});
