// A real Prometheus server scrapes a registry over HTTP: the format is negotiated from the Accept header
// Prometheus sends, the OpenMetrics exposition is accepted (target up, no scrape error, counters and
// canonical `le` stored), and the exemplars come back through /api/v1/query_exemplars.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { negotiateExpositionFormat, Registry } from '../../src/metrics/index.js';

const PROMETHEUS_MISSING = 'prometheus not installed (Debian package prometheus); .ci/run installs it so CI always runs this check';

function hasPrometheus(): boolean {
  return spawnSync('prometheus', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function getJson(url: string): Promise<{ status: string; data: unknown }> {
  const response = await fetch(url);
  return (await response.json()) as { status: string; data: unknown };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const found = await probe();
      if (found !== undefined) return found;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
}

function buildRegistry(): Registry {
  const registry = new Registry();
  registry.counter({ name: 'demo_requests_total', help: 'Requests "handled".', labelNames: ['model'] }).labels('llama3').inc(42);
  registry.counter({ name: 'demo_restarts', help: 'A counter named without _total.' }).inc(3);
  registry.gauge({ name: 'demo_backends_total', help: 'A gauge ending in _total.' }).set(4);
  const duration = registry.histogram({ name: 'demo_duration_seconds', help: 'Durations.', labelNames: ['model'], buckets: [0.1, 1, 10], exemplarLabel: 'request_id' });
  duration.labels('llama3').observeWithExemplar(0.05, 'req-fast');
  duration.labels('llama3').observeWithExemplar(3.5, 'req-"slow"');
  registry.histogram({ name: 'demo_tokens_total', help: 'A histogram ending in _total.', buckets: [10, 100] }).observe(42);
  return registry;
}

test('a real Prometheus scrapes the OpenMetrics exposition and reads the exemplars back', { timeout: 90_000 }, async (t) => {
  if (!hasPrometheus()) {
    t.skip(PROMETHEUS_MISSING);
    return;
  }
  const registry = buildRegistry();
  const formats: string[] = [];
  const server: Server = createServer((req, res) => {
    const pooled = registry.renderPooled(negotiateExpositionFormat(req.headers.accept));
    formats.push(pooled.format);
    res.once('close', () => pooled.release());
    res.writeHead(200, { 'content-type': pooled.contentType, 'content-length': pooled.bytes.length });
    res.end(pooled.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'nexus-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: lib\n    static_configs:\n      - targets: ['${target}']\n`);
  const webPort = await freePort();
  const api = `http://127.0.0.1:${webPort}/api/v1`;
  const prometheus = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${webPort}`, '--enable-feature=exemplar-storage'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  prometheus.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    const health = await waitFor('the target to be scraped', async () => {
      const { data } = await getJson(`${api}/targets`);
      const active = (data as { activeTargets: { health: string; lastError: string }[] }).activeTargets[0];
      return active !== undefined && active.health !== 'unknown' ? active : undefined;
    });
    assert.deepEqual(health, { ...health, health: 'up', lastError: '' }, log);
    assert.ok(formats.length > 0 && formats.every((f) => f === 'openmetrics'), `Prometheus negotiated ${formats.join(',')}`);

    const value = async (query: string): Promise<Record<string, string>[]> => {
      const { data } = await getJson(`${api}/query?query=${encodeURIComponent(query)}`);
      return (data as { result: { metric: Record<string, string>; value: [number, string] }[] }).result.map((r) => ({ ...r.metric, value: r.value[1] }));
    };
    assert.deepEqual(await value('demo_requests_total'), [{ __name__: 'demo_requests_total', instance: target, job: 'lib', model: 'llama3', value: '42' }]);
    assert.deepEqual(await value('demo_restarts_total'), [{ __name__: 'demo_restarts_total', instance: target, job: 'lib', value: '3' }]);
    assert.equal((await value('demo_backends_total'))[0]?.value, '4');
    assert.equal((await value('demo_tokens_total_count'))[0]?.value, '1');
    const buckets = await value('demo_duration_seconds_bucket');
    assert.deepEqual(buckets.map((b) => `${b.le}=${b.value}`).sort(), ['+Inf=2', '0.1=1', '1.0=1', '10.0=2']);

    const exemplars = await waitFor('the exemplars', async () => {
      const now = Date.now() / 1000;
      const { data } = await getJson(`${api}/query_exemplars?query=demo_duration_seconds_bucket&start=${now - 600}&end=${now + 60}`);
      const ids = (data as { exemplars: { labels: { request_id: string } }[] }[]).flatMap((s) => s.exemplars.map((e) => e.labels.request_id));
      return ids.length >= 2 ? ids : undefined;
    });
    const ids = [...new Set(exemplars)].sort();
    assert.equal(ids.length, 2, ids.join(' '));
    assert.equal(ids[1], 'req-fast');
    // The exposition escapes the quotes as OpenMetrics requires (the strict parser of openmetrics-text.ts
    // reads them back exactly); Prometheus 2.42 stores exemplar label values as written, escapes kept,
    // while later versions unescape them as they do series labels.
    assert.ok(ids[0] === 'req-"slow"' || ids[0] === 'req-\\"slow\\"', ids[0]);
  } finally {
    prometheus.kill('SIGTERM');
    await new Promise((resolve) => prometheus.once('exit', resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
});
