// deploy/grafana/nexus-dashboard.json: its structure, its coverage of the metric families, and every
// panel query run against a real Prometheus that scrapes a real gateway carrying traffic.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { NexusConfig } from '../../src/index.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { backendEntry, chat, chatBody, startGateway, testConfig, type Harness } from '../support/gateway-harness.js';
import { PrometheusServer } from '../support/prometheus-server.js';
import { projectPath } from '../support/project-root.js';
import { hasTool, missingToolReason } from '../support/system-tools.js';

interface Target {
  expr: string;
  refId: string;
  legendFormat?: string;
  datasource?: { type?: string; uid?: string };
}

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}

interface Variable {
  name: string;
  type: string;
  query: string | { query: string };
  includeAll?: boolean;
  allValue?: string;
  multi?: boolean;
}

interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
}

const dashboard = JSON.parse(readFileSync(projectPath('deploy/grafana/nexus-dashboard.json'), 'utf8')) as Dashboard;
const JOB = 'nexus';

/** Every panel that is not a row, collapsed rows' panels included. */
function listDataPanels(): Panel[] {
  return dashboard.panels.flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));
}

/** Each query of the dashboard with the panel it belongs to. */
function listQueries(): { panel: Panel; target: Target }[] {
  return listDataPanels().flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel, target })));
}

/** Metric names a query selects: every selector is `name{...}` (the filter test makes sure of it). */
function findSelectedNames(expr: string): string[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1] as string);
}

/** The query as Grafana sends it with job `nexus`, every instance and a 1-minute rate interval. */
function substitute(expr: string): string {
  return expr.replaceAll('$__rate_interval', '1m').replaceAll('$instance', '.*').replaceAll('$job', JOB);
}

test('every panel reads the datasource variable and has unique, non-overlapping grid space', () => {
  const panels = listDataPanels();
  assert.ok(panels.length >= 30, `only ${panels.length} panels`);
  const ids = new Set<number>();
  const cells = new Set<string>();
  for (const p of [...dashboard.panels.filter((r) => r.type === 'row'), ...panels]) {
    assert.ok(!ids.has(p.id), `duplicate panel id ${p.id}`);
    ids.add(p.id);
    const { x, y, w, h } = p.gridPos;
    assert.ok(x >= 0 && w > 0 && x + w <= 24, `${p.title}: outside the 24-column grid`);
    for (let i = x; i < x + w; i++) for (let j = y; j < y + h; j++) {
      assert.ok(!cells.has(`${i},${j}`), `${p.title} overlaps another panel at ${i},${j}`);
      cells.add(`${i},${j}`);
    }
  }
  for (const p of panels) {
    assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${datasource}' }, p.title);
    assert.ok((p.targets ?? []).length > 0, `${p.title} has no query`);
    const refIds = (p.targets ?? []).map((t) => t.refId);
    assert.equal(new Set(refIds).size, refIds.length, `${p.title}: duplicate refId`);
    for (const t of p.targets ?? []) assert.deepEqual(t.datasource, p.datasource, `${p.title} ${t.refId}`);
  }
});

test('every selector filters by the job and instance variables, and rates use $__rate_interval', () => {
  for (const { panel, target } of listQueries()) {
    const selectors = [...target.expr.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*\{([^}]*)\}/g)];
    assert.ok(selectors.length > 0, `${panel.title} ${target.refId}: no selector`);
    for (const [, matchers] of selectors) {
      assert.match(matchers ?? '', /job=~"\$job"/, `${panel.title} ${target.refId}`);
      assert.match(matchers ?? '', /instance=~"\$instance"/, `${panel.title} ${target.refId}`);
    }
    for (const [, range] of target.expr.matchAll(/\[([^\]]*)\]/g)) assert.equal(range, '$__rate_interval', `${panel.title} ${target.refId}`);
  }
});

test('the template variables are the Prometheus datasource, the job and a multi-value instance with All', () => {
  const byName = new Map(dashboard.templating.list.map((v) => [v.name, v]));
  assert.deepEqual([...byName.keys()], ['datasource', 'job', 'instance']);
  assert.equal(byName.get('datasource')?.type, 'datasource');
  assert.equal(byName.get('datasource')?.query, 'prometheus');
  const instance = byName.get('instance');
  assert.equal(instance?.type, 'query');
  assert.equal(instance?.includeAll, true);
  assert.equal(instance?.multi, true);
  assert.equal(instance?.allValue, '.*');
});

/** The families the dashboard charts: SPEC 3's table, prom-client's runtime names, and Prometheus's `up`. */
const CHARTED_FAMILIES = [
  'nexus_requests_total', 'nexus_request_duration_seconds', 'nexus_errors_total', 'nexus_fallbacks_total', 'nexus_tokens_total',
  'nexus_backend_latency_seconds', 'nexus_backends_total', 'nexus_backends_healthy', 'nexus_models_available',
  'nexus_pending_requests', 'nexus_upstream_queued', 'nexus_upstream_attempts_total', 'nexus_upstream_first_byte_seconds',
  'nexus_backend_up', 'nexus_backend_ejected', 'nexus_backend_ejections_total', 'nexus_time_to_first_token_seconds',
  'nexus_gateway_overhead_seconds', 'nexus_client_requests_total', 'nexus_client_tokens_total', 'nexus_build_info',
  'process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_open_fds', 'process_max_fds', 'process_start_time_seconds',
  'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_gc_duration_seconds', 'up',
];

test('the dashboard charts every family of SPEC 3 and the process health families, and no misspelt one', () => {
  const charted = new Set(listQueries().flatMap(({ target }) => findSelectedNames(target.expr).map((n) => n.replace(/_(bucket|sum|count)$/, ''))));
  assert.deepEqual(CHARTED_FAMILIES.filter((f) => !charted.has(f)), [], 'families without a panel');
  // A misspelt name would only ever look "not exported yet" in the Prometheus test below.
  assert.deepEqual([...charted].filter((f) => !CHARTED_FAMILIES.includes(f)), [], 'unknown families');
});

/** Sample names (with their _bucket/_sum/_count suffixes) that have at least one sample. */
function collectSampleNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) if (line !== '' && !line.startsWith('#')) names.add(/^[^{ ]+/.exec(line)?.[0] ?? '');
  return names;
}

// Access control on the gateway with traffic, so the per-key panels have data: one chat key, one for scrapes.
const KEY_ENV = { NEXUS_TEST_APP_KEY: 'app-secret-for-the-dashboard-test', NEXUS_TEST_SCRAPER_KEY: 'scraper-secret-for-the-dashboard-test' };
const APP = { authorization: `Bearer ${KEY_ENV.NEXUS_TEST_APP_KEY}` };

/** JSON, streaming, upstream 5xx, unknown model, fallback and unauthenticated requests; returns the statuses. */
async function driveTraffic(url: string): Promise<number[]> {
  const jobs: Promise<number>[] = [];
  for (let i = 0; i < 6; i++) jobs.push(chat(url, chatBody('llama3:8b'), APP).then((r) => r.status));
  for (let i = 0; i < 4; i++) jobs.push(chat(url, chatBody('llama3:8b', { stream: true }), APP).then((r) => r.status));
  for (let i = 0; i < 4; i++) jobs.push(chat(url, chatBody('flaky-model'), APP).then((r) => r.status));
  jobs.push(chat(url, chatBody('no-such-model'), APP).then((r) => r.status));
  jobs.push(chat(url, chatBody('llama3:8b')).then((r) => r.status));
  for (let i = 0; i < 2; i++) {
    jobs.push(chat(url, chatBody('retired-model'), APP).then((r) => (r.headers.get('x-nexus-fallback-model') === 'llama3:8b' ? r.status : -r.status)));
  }
  return Promise.all(jobs);
}

test('every panel query is valid against a real Prometheus, and returns data whenever the gateway exports its families', { skip: hasTool('prometheus') ? false : missingToolReason('prometheus', 'prometheus') }, async (t) => {
  const good = await SimulatedBackend.start({ type: 'ollama', models: ['llama3:8b'] });
  const flaky = await SimulatedBackend.start({ type: 'vllm', models: ['flaky-model'] });
  flaky.mode = 'error500';
  let harness: Harness | undefined;
  let idle: Harness | undefined;
  let prometheus: PrometheusServer | undefined;
  try {
    const configure = (c: NexusConfig): void => {
      c.routing.fallbacks = { 'retired-model': ['llama3:8b'] };
    };
    const backends = [backendEntry('good-ollama', good), backendEntry('flaky-vllm', flaky)];
    // A second instance without traffic or keys: the dashboard must aggregate across instances (SPEC 7).
    idle = await startGateway(testConfig(backends, configure));
    const keyed = testConfig(backends, configure);
    keyed.auth.keys = [
      { name: 'app', api_key_env: 'NEXUS_TEST_APP_KEY', scopes: ['chat'] },
      { name: 'scraper', api_key_env: 'NEXUS_TEST_SCRAPER_KEY', scopes: ['metrics'] },
    ];
    harness = await startGateway(keyed, KEY_ENV);
    prometheus = await PrometheusServer.start({ targets: [new URL(harness.url).host, new URL(idle.url).host], jobName: JOB, scrapeIntervalSeconds: 1, bearerToken: KEY_ENV.NEXUS_TEST_SCRAPER_KEY });
    await prometheus.waitForScrapes(JOB, 1);

    const statuses = await driveTraffic(harness.url);
    assert.deepEqual(statuses.filter((s) => s !== 200).sort(), [401, 404, 502, 502, 502, 502], `statuses: ${statuses.join(' ')}`);
    // The expectation comes from what the gateway exports now; two later scrapes give every rate() two samples.
    const scrape = await fetch(`${harness.url}/metrics`, { headers: { authorization: `Bearer ${KEY_ENV.NEXUS_TEST_SCRAPER_KEY}` } });
    assert.equal(scrape.status, 200);
    const exported = collectSampleNames(await scrape.text());
    exported.add('up');
    await prometheus.waitForScrapes(JOB, 2);
    assert.deepEqual((await prometheus.vector(`up{job="${JOB}"}`)).map((r) => r.value[1]), ['1', '1'], 'Prometheus scrapes both gateways');

    const noData: string[] = [];
    for (const { panel, target } of listQueries()) {
      const promql = substitute(target.expr);
      const label = `${panel.title} [${target.refId}]`;
      const answer = await prometheus.query(promql);
      assert.equal(answer.status, 'success', `${label}: ${answer.error ?? ''}\n${promql}`);
      const missing = findSelectedNames(target.expr).filter((n) => !exported.has(n));
      const result = Array.isArray(answer.data?.result) ? (answer.data.result as { metric: Record<string, string> }[]) : [];
      // A series per instance only where the legend names the instance (the process panels).
      if (!(target.legendFormat ?? '').includes('{{instance}}')) {
        assert.deepEqual(result.filter((r) => 'instance' in r.metric), [], `${label} is not aggregated across instances`);
      }
      if (missing.length > 0) {
        noData.push(`${label}: not exported yet: ${missing.join(', ')}`);
      } else if (result.length === 0) {
        assert.fail(`${label} returned no data although the gateway exports ${findSelectedNames(target.expr).join(', ')}\n${promql}\ntargets: ${await prometheus.describeTargets()}`);
      }
    }
    t.diagnostic(`${listQueries().length} queries, ${listQueries().length - noData.length} expected and returned data`);
    for (const line of noData) t.diagnostic(line);

    for (const variable of dashboard.templating.list.filter((v) => v.type === 'query')) {
      const text = typeof variable.query === 'string' ? variable.query : variable.query.query;
      const [, match = '', label = ''] = /^label_values\((.+),\s*(\w+)\)$/.exec(text) ?? [];
      const response = await fetch(`${prometheus.url}/api/v1/label/${label}/values?match[]=${encodeURIComponent(substitute(match))}`);
      const values = ((await response.json()) as { data: string[] }).data;
      assert.ok(values.includes(label === 'job' ? JOB : new URL(harness.url).host), `variable ${variable.name}: ${values.join(', ')}`);
    }
  } finally {
    await prometheus?.stop();
    await harness?.close();
    await idle?.close();
    await Promise.all([good.stop(), flaky.stop()]);
  }
});
