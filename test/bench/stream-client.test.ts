import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildPostRequest } from '../../bench/client/load-generator.js';
import { startJsonProxy, startPipeRelay } from '../../bench/processes/reference-servers.js';
import { runStreams } from '../../bench/streams/stream-client.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';

// The stream client against the real simulator, straight and through the bench's reference relays.

const CHUNKS = 5;
const request = buildPostRequest('/v1/chat/completions', { model: 'm', messages: [], stream: true });

async function withBackend(run: (backend: SimulatedBackend) => Promise<void>): Promise<void> {
  const backend = await SimulatedBackend.start({ type: 'vllm', models: ['m'], streamChunks: CHUNKS, chunkDelayMs: 2, recordRequests: false });
  try {
    await run(backend);
  } finally {
    await backend.stop();
  }
}

test('every stream completes with one first-chunk time and chunks - 1 gaps at most', async () => {
  await withBackend(async (backend) => {
    const result = await runStreams({ port: Number(new URL(backend.url).port), request, streams: 20, rampMs: 10, expectedEvents: CHUNKS + 1, timeoutMs: 10_000, connectBatch: 7 });
    assert.equal(result.completed, 20);
    assert.deepEqual(result.failures, {});
    assert.equal(result.ttftMs.length, 20);
    assert.ok(result.gapsMs.length <= 20 * (CHUNKS - 1) && result.gapsMs.length > 0);
    assert.ok(result.firstChunkAt.every((t, i) => t <= result.endedAt[i]!));
  });
});

test('the pipe relay passes the paced stream through whole', async () => {
  await withBackend(async (backend) => {
    const relay = await startPipeRelay(backend.url);
    try {
      const result = await runStreams({ port: relay.port, request, streams: 10, rampMs: 0, expectedEvents: CHUNKS + 1, timeoutMs: 10_000 });
      assert.equal(result.completed, 10);
      assert.equal(backend.chatRequests, 10);
    } finally {
      await relay.close();
    }
  });
});

test('a stream with the wrong event count, a non-200 status or no answer fails with that reason', async () => {
  await withBackend(async (backend) => {
    const port = Number(new URL(backend.url).port);
    const short = await runStreams({ port, request, streams: 2, rampMs: 0, expectedEvents: CHUNKS + 2, timeoutMs: 10_000 });
    assert.deepEqual(short.failures, { [`events ${CHUNKS + 1} of ${CHUNKS + 2}`]: 2 });
    const unknown = buildPostRequest('/v1/chat/completions', { model: 'nope', messages: [], stream: true });
    const missing = await runStreams({ port, request: unknown, streams: 1, rampMs: 0, expectedEvents: CHUNKS + 1, timeoutMs: 10_000 });
    assert.deepEqual(missing.failures, { 'status 404': 1 });
  });
  const silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const port = (silent.address() as AddressInfo).port;
    const timedOut = await runStreams({ port, request, streams: 3, rampMs: 0, expectedEvents: 2, timeoutMs: 50 });
    assert.deepEqual(timedOut.failures, { timeout: 3 });
    assert.equal(timedOut.ttftMs.length, 0);
  } finally {
    silent.closeAllConnections();
    silent.close();
  }
});

test('the minimal JSON proxy swaps the model and returns the backend reply', async () => {
  await withBackend(async (backend) => {
    backend.models.push('served');
    const proxy = await startJsonProxy(backend.url, new Map([['alias', 'served']]));
    try {
      const response = await fetch(`http://127.0.0.1:${proxy.port}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'alias', messages: [] }) });
      assert.equal(response.status, 200);
      const body = (await response.json()) as { model: string };
      assert.equal(body.model, 'served');
    } finally {
      await proxy.close();
    }
  });
});
