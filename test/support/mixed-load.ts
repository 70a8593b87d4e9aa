// The 1,000-request concurrent mix the exactness tests send (single process and cluster alike):
// JSON, streams, upstream 4xx and 5xx, hangs, unknown models, fallbacks, aborts and broken JSON,
// each request's status as the client saw it.

import http from 'node:http';
import type { NexusConfig } from '../../src/config/types.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { backendEntry, chat, chatBody, testConfig } from './gateway-harness.js';

/** The kinds of request in the mix, sent in turn. */
export const MIXED_KINDS = ['json', 'stream', 'upstream4xx', 'upstream5xx', 'timeout', 'unknown', 'fallback', 'abort', 'invalid'] as const;

/** Aborts a stream after its first chunk (the client saw 499), or returns the error status it got. */
export function abortMidStream(url: string): Promise<number> {
  return new Promise((resolve) => {
    let seen = 499;
    const req = http.request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      // Under load the request deadline may come before the first chunk: the client saw that status.
      if (res.statusCode !== 200) {
        seen = res.statusCode ?? 0;
        res.resume();
        return;
      }
      res.once('data', () => req.destroy());
    });
    req.on('error', () => {});
    req.on('close', () => resolve(seen));
    req.end(JSON.stringify(chatBody('llama3:8b', { stream: true })));
  });
}

/**
 * Sends `count` requests at once against the fleet of the exactness tests (models llama3:8b,
 * picky-model, flaky-model, slow-model, alias gone-model-alias); resolves with each status, in order.
 */
export function sendMixedLoad(url: string, count: number): Promise<number[]> {
  const jobs: Promise<number>[] = [];
  for (let i = 0; i < count; i++) {
    const kind = MIXED_KINDS[i % MIXED_KINDS.length];
    const body =
      kind === 'json' ? chatBody('llama3:8b')
      : kind === 'stream' ? chatBody('llama3:8b', { stream: true })
      : kind === 'upstream4xx' ? chatBody('picky-model')
      : kind === 'upstream5xx' ? chatBody('flaky-model')
      : kind === 'timeout' ? chatBody('slow-model')
      : kind === 'unknown' ? chatBody(`client-invented-${i}`)
      : kind === 'fallback' ? chatBody('gone-model-alias')
      : kind === 'invalid' ? '{broken'
      : null;
    jobs.push(body === null ? abortMidStream(url) : chat(url, body).then((r) => r.status));
  }
  return Promise.all(jobs);
}

/** The fleet the mix runs against: a good Ollama, a 500-ing, a 400-ing and a hanging vLLM. */
export interface MixedFleet {
  good: SimulatedBackend;
  flaky: SimulatedBackend;
  picky: SimulatedBackend;
  slow: SimulatedBackend;
  /** The gateway config over the four, with the mix's alias and fallback; `tweak` sets timeouts. */
  config: NexusConfig;
  stop(): Promise<void>;
}

/** Starts the four simulated backends of the mix and builds the gateway config for them. */
export async function startMixedFleet(tweak: (config: NexusConfig) => void): Promise<MixedFleet> {
  const good = await SimulatedBackend.start({ type: 'ollama', models: ['llama3:8b', 'qwen2:7b'] });
  const flaky = await SimulatedBackend.start({ type: 'vllm', models: ['flaky-model'], mode: 'error500' });
  const picky = await SimulatedBackend.start({ type: 'vllm', models: ['picky-model'], mode: 'status400' });
  const slow = await SimulatedBackend.start({ type: 'vllm', models: ['slow-model'], mode: 'hang' });
  const entries = [backendEntry('good-ollama', good), backendEntry('flaky-vllm', flaky), backendEntry('picky-vllm', picky), backendEntry('slow/vllm', slow)];
  const config = testConfig(entries, (c) => {
    c.routing.fallbacks = { 'gone-model': ['qwen2:7b'] };
    c.routing.aliases = { 'gone-model-alias': 'gone-model' };
    tweak(c);
  });
  const stop = async (): Promise<void> => {
    await Promise.all([good.stop(), flaky.stop(), picky.stop(), slow.stop()]);
  };
  return { good, flaky, picky, slow, config, stop };
}
