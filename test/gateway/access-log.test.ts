// The access log over real sockets: one JSON line per chat request, whatever the log level, with
// the request id, the model as sent and as served, status, timings, attempts and tokens.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { SILENT_LOGGER } from '../../src/logging/logger.js';
import { backendEntry, chat, chatBody, testConfig, waitFor } from '../support/gateway-harness.js';

let sim: SimulatedBackend;
let gateway: Gateway;
let url: string;
const lines: Record<string, unknown>[] = [];

before(async () => {
  sim = await SimulatedBackend.start({ type: 'ollama', models: ['llama3:8b'] });
  const config = testConfig([backendEntry('local', sim)], (c) => {
    c.logging.access = true;
    c.routing.aliases = { fast: 'llama3:8b' };
  });
  gateway = new Gateway(config, { logger: SILENT_LOGGER, accessLog: (chunk) => {
      for (const line of chunk.split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  url = `http://127.0.0.1:${(await gateway.start()).port}`;
});

after(async () => {
  await gateway.stop();
  await sim.stop();
});

async function logged(requestId: string): Promise<Record<string, unknown>> {
  await waitFor(() => lines.some((l) => l.request_id === requestId));
  return lines.find((l) => l.request_id === requestId) as Record<string, unknown>;
}

test('a JSON request is logged once with its id, models, backend, status, timings and tokens, at level silent', async () => {
  const response = await chat(url, chatBody('fast'), { 'x-request-id': 'req-json-1' });
  assert.equal(response.status, 200);
  const line = await logged('req-json-1');
  assert.equal(line.msg, 'request');
  assert.equal(line.model, 'fast');
  assert.equal(line.served_model, 'llama3:8b');
  assert.equal(line.backend, 'local');
  assert.equal(line.status, 200);
  assert.equal(line.error_type, null);
  assert.equal(line.attempts, 1);
  assert.ok((line.duration_ms as number) > 0);
  assert.equal(typeof line.prompt_tokens, 'number');
  assert.equal(typeof line.completion_tokens, 'number');
  assert.equal(lines.filter((l) => l.request_id === 'req-json-1').length, 1);
});

test('a stream logs its first-byte time; a failure logs its error type', async () => {
  await chat(url, chatBody('llama3:8b', { stream: true }), { 'x-request-id': 'req-stream-1' });
  const stream = await logged('req-stream-1');
  assert.equal(stream.stream, true);
  assert.ok((stream.first_byte_ms as number) >= 0);
  await chat(url, chatBody('no-such-model'), { 'x-request-id': 'req-404' });
  const missing = await logged('req-404');
  assert.equal(missing.status, 404);
  assert.equal(missing.error_type, 'no_backend');
  assert.equal(missing.backend, null);
  assert.equal(missing.attempts, 0);
});

test('a generated request id is logged and returned to the client; hostile model names stay one short line', async () => {
  const response = await chat(url, chatBody(`evil\n{"msg":"forged"}${'x'.repeat(5000)}`));
  const id = response.headers.get('x-request-id') ?? '';
  assert.match(id, /^[0-9a-f-]{36}$/);
  const line = await logged(id);
  assert.ok((line.model as string).length <= 257);
  assert.ok((line.model as string).startsWith('evil\n'), 'the newline is data inside the JSON string, not a new line');
});

test('lines are batched into one write per event-loop turn and stop() writes what is left', async () => {
  const chunks: string[] = [];
  const { AccessLog } = await import('../../src/gateway/access-log.js');
  const { ChatExchange } = await import('../../src/gateway/chat-exchange.js');
  const log = new AccessLog((chunk) => chunks.push(chunk));
  for (let i = 0; i < 100; i++) {
    const ex = new ChatExchange(`batch-${i}`, 0, null);
    ex.settle(200, null);
    log.chatFinished(ex);
  }
  assert.equal(chunks.length, 0, 'nothing is written on the request path');
  log.flush();
  assert.equal(chunks.length, 1);
  assert.equal(chunks[0]?.split('\n').filter((l) => l !== '').length, 100);
  const ex = new ChatExchange('batch-last', 0, null);
  ex.settle(200, null);
  log.chatFinished(ex);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(chunks.length, 2, 'the end of the turn writes the batch');
});
