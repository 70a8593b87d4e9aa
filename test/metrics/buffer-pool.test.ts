import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferPool, PooledExposition, Registry } from '../../src/metrics/index.js';

function buildRegistry(): Registry {
  const registry = new Registry({ pooledBuffers: 2 });
  const requests = registry.counter({ name: 'app_requests_total', help: 'h', labelNames: ['route'] });
  for (let i = 0; i < 200; i++) requests.labels(`route_${i}`).inc(i);
  return registry;
}

test('the pool never hands out a buffer that is still in use', () => {
  const registry = buildRegistry();
  const held: PooledExposition[] = [];
  for (let i = 0; i < 8; i++) held.push(registry.renderPooled(i % 2 === 0 ? 'prometheus' : 'openmetrics'));
  const memories = new Set(held.map((p) => p.bytes.buffer));
  assert.equal(memories.size, held.length, 'every exposition in use has memory of its own');
  // Each still holds its own text: a later render wrote into none of them.
  for (const p of held) assert.equal(p.bytes.toString('utf8'), registry.render(p.format));
  for (const p of held) p.release();
});

test('a released buffer is reused by the next scrape, and releasing twice returns it once', () => {
  const registry = buildRegistry();
  const first = registry.renderPooled();
  const memory = first.bytes.buffer;
  first.release();
  first.release();
  const second = registry.renderPooled();
  const third = registry.renderPooled();
  assert.equal(second.bytes.buffer, memory);
  assert.notEqual(third.bytes.buffer, memory, 'the double release must not have put the buffer in the pool twice');
  second.release();
  third.release();
});

test('overlapping scrapes each read their own exposition while values move', () => {
  const registry = buildRegistry();
  const counter = registry.get('app_requests_total') as unknown as { labels(v: string): { inc(n?: number): void } };
  const before = registry.renderPooled();
  const beforeText = before.bytes.toString('utf8');
  counter.labels('route_7').inc(1000);
  const after = registry.renderPooled('openmetrics');
  assert.equal(before.bytes.toString('utf8'), beforeText);
  assert.match(after.bytes.toString('utf8'), /^app_requests_total\{route="route_7"\} 1007$/m);
  before.release();
  after.release();
});

test('the pool keeps at most maxFree buffers and grows a reused buffer that is too small', () => {
  const pool = new BufferPool(1);
  const a = pool.acquire(10);
  const b = pool.acquire(10);
  assert.notEqual(a.buffer, b.buffer);
  assert.ok(a.length >= 4096);
  pool.recycle(a);
  pool.recycle(b);
  pool.recycle(a);
  assert.equal(pool.size, 1);
  assert.equal(pool.acquire(1), a);
  assert.equal(pool.size, 0);
  assert.throws(() => new BufferPool(-1), RangeError);

  const registry = new Registry({ pooledBuffers: 1 });
  const gauge = registry.gauge({ name: 'g', help: 'h', labelNames: ['k'] });
  gauge.labels('a').set(1);
  const small = registry.renderPooled();
  small.release();
  for (let i = 0; i < 2000; i++) gauge.labels(`key_${i}`).set(i);
  const large = registry.renderPooled();
  assert.equal(large.bytes.toString('utf8'), registry.render());
  assert.ok(large.bytes.length > 4096);
  large.release();
});

test('a pooled exposition carries its format and content type', () => {
  const registry = buildRegistry();
  const open = registry.renderPooled('openmetrics');
  assert.equal(open.format, 'openmetrics');
  assert.equal(open.contentType, 'application/openmetrics-text; version=1.0.0; charset=utf-8');
  const plain = registry.renderPooled();
  assert.equal(plain.format, 'prometheus');
  assert.equal(plain.contentType, 'text/plain; version=0.0.4; charset=utf-8');
  open.release();
  plain.release();
});
