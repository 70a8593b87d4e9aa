// What a simulated LLM server says: the chat completion JSON, the SSE stream of chunks (with usage
// when asked for it), each server type's probe answers, and plain JSON answers. Kept apart from the
// server so the server file is only about behaviour (modes, latency, going down).

import type { ServerResponse } from 'node:http';

/** The reply text; it holds multi-byte characters on purpose (split across chunks when streamed). */
export const REPLY_TEXT = 'Héllo from the simulated backend 🌍 — ünïcode survives.';

/** Prompt tokens every simulated answer reports. */
export const PROMPT_TOKENS = 12;

/** Completion tokens every simulated answer reports (one per word of the reply, per repetition). */
export function countCompletionTokens(repeat = 1): number {
  return REPLY_TEXT.split(' ').length * repeat;
}

/** The non-streaming chat completion for a request body; a request with tools gets a tool call. */
export function buildCompletion(body: Record<string, unknown>, model: string): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: REPLY_TEXT };
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    const first = body.tools[0] as { function?: { name?: string } };
    message.content = null;
    message.tool_calls = [{ id: 'call_sim_1', type: 'function', function: { name: first.function?.name ?? 'tool', arguments: '{"city":"Paris"}' } }];
  }
  return {
    id: 'chatcmpl-sim',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
    usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: countCompletionTokens(), total_tokens: PROMPT_TOKENS + countCompletionTokens() },
  };
}

/**
 * The whole SSE stream for a request body: a role chunk, the reply word by word (`repeat` times, for
 * long fast streams), a finish chunk, usage if `stream_options.include_usage`, then `[DONE]`.
 */
export function buildStreamBytes(body: Record<string, unknown>, model: string, repeat = 1): Buffer {
  const base = { id: 'chatcmpl-sim', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
  const event = (payload: unknown): Buffer => Buffer.from(`data: ${JSON.stringify(payload)}\n\n`);
  const parts: Buffer[] = [event({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })];
  const words = REPLY_TEXT.split(/(?<= )/).map((word) => event({ ...base, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] }));
  for (let i = 0; i < repeat; i++) parts.push(...words);
  parts.push(event({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
  const options = body.stream_options as { include_usage?: boolean } | undefined;
  if (options?.include_usage === true) {
    const completion = countCompletionTokens(repeat);
    parts.push(event({ ...base, choices: [], usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: completion, total_tokens: PROMPT_TOKENS + completion } }));
  }
  parts.push(Buffer.from('data: [DONE]\n\n'));
  return Buffer.concat(parts);
}

/** Sends a JSON answer with a content length. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Answers a health probe as the imitated server type does (Ollama `/api/tags`, llama.cpp `/health`, `/v1/models`). */
export function sendProbeAnswer(res: ServerResponse, type: string, models: readonly string[], url: string): void {
  if (type === 'ollama' && url === '/api/tags') {
    return sendJson(res, 200, { models: models.map((name) => ({ name, model: name, modified_at: '2026-11-01T00:00:00Z', size: 4_000_000_000, digest: 'sha256:0' })) });
  }
  if (type === 'llamacpp' && url === '/health') return sendJson(res, 200, { status: 'ok' });
  if (url === '/v1/models') {
    return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: type })) });
  }
  sendJson(res, 404, { error: 'not found' });
}
