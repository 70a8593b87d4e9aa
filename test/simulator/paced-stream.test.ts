import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';

// What each socket read of a paced stream holds: one SSE event per write (the last with [DONE]).
function readEvents(url: string, body: unknown): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/chat/completions`, { method: 'POST' }, (res) => {
      const reads: string[] = [];
      res.setEncoding('utf8');
      res.on('data', (text: string) => reads.push(text));
      res.on('end', () => resolve(reads));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

test('a paced stream writes exactly streamChunks events, the last one ending with [DONE]', async () => {
  const backend = await SimulatedBackend.start({ type: 'vllm', models: ['m'], streamChunks: 6, chunkDelayMs: 5 });
  try {
    const reads = await readEvents(backend.url, { model: 'm', stream: true });
    const text = reads.join('');
    const events = text.split('\n\n').filter((e) => e !== '');
    assert.equal(events.length, 7);
    assert.match(events[0]!, /"role":"assistant"/);
    assert.match(events[5]!, /"finish_reason":"stop"/);
    assert.equal(events[6], 'data: [DONE]');
    assert.ok(!text.includes('"usage"'));
    // Paced writes arrive as separate reads (5 ms apart), never as one burst.
    assert.ok(reads.length >= 3, `reads: ${reads.length}`);
  } finally {
    await backend.stop();
  }
});

test('a paced stream adds the usage chunk before [DONE] when the client asks for it', async () => {
  const backend = await SimulatedBackend.start({ type: 'vllm', models: ['m'], streamChunks: 3, chunkDelayMs: 1 });
  try {
    const events = (await readEvents(backend.url, { model: 'm', stream: true, stream_options: { include_usage: true } })).join('').split('\n\n').filter((e) => e !== '');
    assert.equal(events.length, 5);
    assert.match(events[3]!, /"usage":\{"prompt_tokens":12/);
    assert.equal(events[4], 'data: [DONE]');
  } finally {
    await backend.stop();
  }
});
