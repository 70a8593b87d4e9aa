// Per-type health probes: Ollama lists models at /api/tags, llama.cpp answers /health (models from
// config or /v1/models), every OpenAI-compatible server lists models at /v1/models.

import type { Backend } from '../fleet/backend.js';
import { authorizationFor } from '../fleet/backend-authorization.js';
import type { ProbeFetch } from './probe-transport.js';

export type { ProbeFetch } from './probe-transport.js';

/**
 * The outcome of one probe. `httpAnswered` is true when the backend sent any HTTP response; `error`
 * is only a class (`ECONNREFUSED`, `timeout`, `HTTP 500`, `invalid body`): never text that could
 * carry a URL, a key or the backend's own words (SPEC 2.1, 2.2).
 */
export interface ProbeResult {
  ok: boolean;
  httpAnswered: boolean;
  models: string[] | null;
  error: string | null;
}

function readModelIds(json: unknown, listKey: 'data' | 'models', idKey: 'id' | 'name'): string[] | null {
  const list = (json as Record<string, unknown> | null)?.[listKey];
  if (!Array.isArray(list)) return null;
  const ids: string[] = [];
  for (const entry of list) {
    const id = (entry as Record<string, unknown> | null)?.[idKey];
    if (typeof id === 'string' && id !== '') ids.push(id);
  }
  return ids;
}

// Where a backend lists its models and how: Ollama's tags, else the OpenAI model list.
const OLLAMA_TAGS = { path: '/api/tags', listKey: 'models', idKey: 'name' } as const;
const OPENAI_MODELS = { path: '/v1/models', listKey: 'data', idKey: 'id' } as const;

/** Probes one backend according to its type. Never throws. */
export async function probeBackend(backend: Backend, fetchImpl: ProbeFetch, signal: AbortSignal, env: NodeJS.ProcessEnv): Promise<ProbeResult> {
  const authorization = authorizationFor(backend, env);
  const headers: Record<string, string> = authorization === null ? {} : { authorization };
  let answered = false;
  try {
    if (backend.type === 'llamacpp') {
      const { status } = await fetchImpl(`${backend.url}/health`, headers, signal);
      answered = true;
      if (status !== 200) return { ok: false, httpAnswered: true, models: null, error: `HTTP ${status}` };
      if (backend.configuredModels !== null) return { ok: true, httpAnswered: true, models: null, error: null };
      const listed = await fetchImpl(`${backend.url}/v1/models`, headers, signal);
      return { ok: true, httpAnswered: true, models: listed.status === 200 ? readModelIds(listed.json, 'data', 'id') : null, error: null };
    }
    const { path, listKey, idKey } = backend.type === 'ollama' ? OLLAMA_TAGS : OPENAI_MODELS;
    const { status, json } = await fetchImpl(`${backend.url}${path}`, headers, signal);
    answered = true;
    if (status !== 200) return { ok: false, httpAnswered: true, models: null, error: `HTTP ${status}` };
    const models = readModelIds(json, listKey, idKey);
    if (models === null) return { ok: false, httpAnswered: true, models: null, error: 'invalid body' };
    return { ok: true, httpAnswered: true, models, error: null };
  } catch (error) {
    const reason = signal.aborted ? 'timeout' : describeProbeError(error);
    return { ok: false, httpAnswered: answered, models: null, error: reason };
  }
}

// Only a code: an error's message may quote a header value (a key) or a URL (credentials).
function describeProbeError(error: unknown): string {
  const code = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' && /^[\w .-]{1,40}$/.test(code) ? code : 'connection error';
}
