import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';
import { collectDefaultMetrics, Registry as PromRegistry } from 'prom-client';
import { Registry } from '../../../src/metrics/index.js';
import {
  parseMaxOpenFiles,
  parseProcStatusMemory,
  registerCpuMetrics,
  registerFdMetrics,
  registerMemoryMetrics,
  registerStartTime,
} from '../../../src/metrics/runtime/process-metrics.js';
import { parsePrometheusText, sampleValue } from '../../support/prometheus-text.js';
import { renderPromClient } from '../../support/prom-client-text.js';

const ON_LINUX = process.platform === 'linux';
const NOT_LINUX = '/proc/self is Linux only; prom-client registers these families only there';

function scrape(registry: Registry, name: string): number {
  const value = sampleValue(parsePrometheusText(registry.render()), name);
  assert.ok(value !== undefined, `${name} is rendered`);
  return value;
}

test('parses VmRSS, VmSize and VmData of /proc/self/status into bytes', () => {
  const status = 'Name:\tnode\nVmPeak:\t 999 kB\nVmSize:\t  1020 kB\nVmData:\t   300 kB\nVmRSS:\t     50 kB\nThreads:\t7\n';
  assert.deepEqual(parseProcStatusMemory(status), { residentBytes: 50 * 1024, virtualBytes: 1020 * 1024, dataBytes: 300 * 1024 });
  assert.ok(Number.isNaN(parseProcStatusMemory('Name:\tkthread').residentBytes));
});

test('parses the soft limit of Max open files from /proc/self/limits', () => {
  const limits = [
    'Limit                     Soft Limit           Hard Limit           Units     ',
    'Max processes             63704                63704                processes ',
    'Max open files            1024                 524288               files     ',
  ].join('\n');
  assert.equal(parseMaxOpenFiles(limits), 1024);
  assert.equal(parseMaxOpenFiles('Limit  Soft Limit\n'), undefined);
});

test('CPU counters count from process start and user plus system equals the total', () => {
  const registry = new Registry();
  registerCpuMetrics(registry);
  const before = process.cpuUsage();
  const parsed = parsePrometheusText(registry.render());
  const user = sampleValue(parsed, 'process_cpu_user_seconds_total') as number;
  const system = sampleValue(parsed, 'process_cpu_system_seconds_total') as number;
  const total = sampleValue(parsed, 'process_cpu_seconds_total') as number;
  assert.ok(Math.abs(user + system - total) < 1e-9);
  assert.ok(total >= (before.user + before.system) / 1e6);
  let spin = 0;
  for (let i = 0; i < 2e6; i++) spin += i;
  assert.ok(spin > 0);
  assert.ok(scrape(registry, 'process_cpu_seconds_total') > total);
});

test('process_start_time_seconds agrees with prom-client', async () => {
  const registry = new Registry();
  registerStartTime(registry);
  const promRegistry = new PromRegistry();
  collectDefaultMetrics({ register: promRegistry });
  const theirs = sampleValue(parsePrometheusText(await renderPromClient(promRegistry)), 'process_start_time_seconds') as number;
  // Both round the same float; computed at different instants it may straddle a half second.
  assert.ok(Math.abs(scrape(registry, 'process_start_time_seconds') - theirs) <= 1);
});

test('memory gauges read /proc/self/status: resident > 0, virtual >= resident, heap > 0', (t) => {
  if (!ON_LINUX) return t.skip(NOT_LINUX);
  const registry = new Registry();
  registerMemoryMetrics(registry);
  const parsed = parsePrometheusText(registry.render());
  const resident = sampleValue(parsed, 'process_resident_memory_bytes') as number;
  assert.ok(resident > 0);
  assert.ok((sampleValue(parsed, 'process_virtual_memory_bytes') as number) >= resident);
  assert.ok((sampleValue(parsed, 'process_heap_bytes') as number) > 0);
});

test('process_open_fds grows by the sockets opened and equals prom-client reading; max fds matches too', async (t) => {
  if (!ON_LINUX) return t.skip(NOT_LINUX);
  const registry = new Registry();
  registerFdMetrics(registry);
  const promRegistry = new PromRegistry();
  collectDefaultMetrics({ register: promRegistry });
  const before = scrape(registry, 'process_open_fds');
  let accepted = 0;
  const server = createServer(() => accepted++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const clients: Socket[] = [];
  for (let i = 0; i < 10; i++) {
    const socket = createConnection(port, '127.0.0.1');
    clients.push(socket);
    await once(socket, 'connect');
  }
  while (accepted < 10) await new Promise((resolve) => setImmediate(resolve));
  try {
    // One listener and both ends of ten connections.
    assert.ok(scrape(registry, 'process_open_fds') >= before + 21);
    // prom-client collects synchronously at the start of metrics(), so no fd can change between the two reads.
    const theirsText = renderPromClient(promRegistry);
    const ours = parsePrometheusText(registry.render());
    const theirs = parsePrometheusText(await theirsText);
    assert.equal(sampleValue(ours, 'process_open_fds'), sampleValue(theirs, 'process_open_fds'));
    assert.equal(sampleValue(ours, 'process_max_fds'), sampleValue(theirs, 'process_max_fds'));
  } finally {
    for (const socket of clients) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});
