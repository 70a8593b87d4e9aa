import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthChecker, type Scheduler } from '../../src/health/health-checker.js';
import { Fleet } from '../../src/fleet/fleet.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';

/** A manual scheduler: timers fire only when the test says so. */
class ManualScheduler implements Scheduler {
  time = 0;
  timers = new Map<number, { fn: () => void; at: number }>();
  private next = 1;
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { fn, at: this.time + ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    this.time += ms;
    for (const [id, timer] of [...this.timers]) {
      if (timer.at <= this.time) {
        this.timers.delete(id);
        timer.fn();
      }
    }
  }
}

test('a backend flips unhealthy after the failure threshold and back after recovery', async () => {
  const sim = await SimulatedBackend.start({ type: 'ollama', models: ['llama3'] });
  const fleet = new Fleet([{ name: 'o', url: sim.url, type: 'ollama', priority: 1 }]);
  const checker = new HealthChecker(fleet, { intervalMs: 1000, timeoutMs: 500, failureThreshold: 3, recoveryThreshold: 2, scheduler: new ManualScheduler() });
  const backend = fleet.get('o')!;
  try {
    await checker.checkAll();
    assert.equal(backend.status, 'healthy');
    assert.deepEqual([...backend.models], ['llama3']);
    await sim.stop();
    await checker.checkAll();
    await checker.checkAll();
    assert.equal(backend.status, 'healthy', 'two failures stay under the threshold of three');
    await checker.checkAll();
    assert.equal(backend.status, 'unhealthy');
    assert.notEqual(backend.lastError, null);
    await sim.restart();
    await checker.checkAll();
    assert.equal(backend.status, 'unhealthy', 'one success stays under the recovery threshold of two');
    await checker.checkAll();
    assert.equal(backend.status, 'healthy');
  } finally {
    await sim.stop();
  }
});

test('a model that disappears from the list stops being routable', async () => {
  const sim = await SimulatedBackend.start({ type: 'vllm', models: ['a', 'b'] });
  const fleet = new Fleet([{ name: 'v', url: sim.url, type: 'vllm', priority: 1 }]);
  const checker = new HealthChecker(fleet, { intervalMs: 1000, timeoutMs: 500, failureThreshold: 1, recoveryThreshold: 1 });
  try {
    await checker.checkAll();
    assert.equal(fleet.healthyFor('b').length, 1);
    sim.models = ['a'];
    await checker.checkAll();
    assert.equal(fleet.healthyFor('b').length, 0);
    assert.equal(fleet.healthyFor('a').length, 1);
  } finally {
    await sim.stop();
  }
});

test('each probe type asks its own endpoint; llama.cpp keeps configured models', async () => {
  const llama = await SimulatedBackend.start({ type: 'llamacpp', models: ['served-by-llama'] });
  const fleet = new Fleet([
    { name: 'l1', url: llama.url, type: 'llamacpp', priority: 1, models: ['configured'] },
    { name: 'l2', url: llama.url, type: 'llamacpp', priority: 1 },
  ]);
  const checker = new HealthChecker(fleet, { intervalMs: 1000, timeoutMs: 500, failureThreshold: 1, recoveryThreshold: 1 });
  try {
    await checker.checkAll();
    assert.deepEqual([...fleet.get('l1')!.models], ['configured']);
    assert.deepEqual([...fleet.get('l2')!.models], ['served-by-llama']);
    assert.equal(fleet.get('l1')!.status, 'healthy');
  } finally {
    await llama.stop();
  }
});

test('a hanging backend times out without delaying the check of another', async () => {
  const scheduler = new ManualScheduler();
  const fleet = new Fleet([
    { name: 'slow', url: 'http://slow.invalid', type: 'vllm', priority: 1 },
    { name: 'fast', url: 'http://fast.invalid', type: 'vllm', priority: 1 },
  ]);
  const fetchImpl = (url: string, _h: Record<string, string>, signal: AbortSignal) =>
    url.startsWith('http://fast')
      ? Promise.resolve({ status: 200, json: { data: [{ id: 'm' }] } })
      : new Promise<{ status: number; json: unknown }>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
  const checker = new HealthChecker(fleet, { intervalMs: 1000, timeoutMs: 5000, failureThreshold: 1, recoveryThreshold: 1, scheduler, fetch: fetchImpl });
  const round = checker.checkAll();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(fleet.get('fast')!.status, 'healthy', 'the fast backend is decided while the slow one hangs');
  assert.equal(fleet.get('slow')!.status, 'unknown');
  scheduler.advance(5000);
  await round;
  assert.equal(fleet.get('slow')!.status, 'unhealthy');
  assert.equal(fleet.get('slow')!.lastError, 'timeout');
});
