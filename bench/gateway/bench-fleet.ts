// The gateway benchmark's fleet and traffic: model and backend names, and the request bodies
// clients send.

import { buildPostRequest } from '../client/load-generator.js';

/** 50 models, all served by the one simulated backend. */
export const BENCH_MODELS: readonly string[] = Array.from({ length: 50 }, (_, i) => `bench-model-${String(i).padStart(2, '0')}`);

/** Four backend names in the gateway config, all pointing at the simulated backend: 200 (model, backend) pairs. */
export const BENCH_BACKEND_NAMES: readonly string[] = ['sim-a', 'sim-b', 'sim-c', 'sim-d'];

/** Request bytes for each model, JSON or streaming, as a typical chat client sends them. */
export function chatRequests(stream: boolean): Buffer[] {
  return BENCH_MODELS.map((model) => chatRequest(model, stream));
}

/** Request bytes for one model, JSON or streaming. */
export function chatRequest(model: string, stream: boolean): Buffer {
  return buildPostRequest('/v1/chat/completions', {
    model,
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Say hello in one short sentence.' },
    ],
    max_tokens: 64,
    temperature: 0.7,
    ...(stream ? { stream: true } : {}),
  });
}
