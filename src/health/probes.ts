// Per-type health probes: Ollama lists models at /api/tags, llama.cpp answers /health (models from
// config or /v1/models), every OpenAI-compatible server lists models at /v1/models.

import type { Backend } from '../fleet/backend.js';
import { authorizationFor } from '../fleet/backend-authorization.js';

/** The outcome of one probe. `httpAnswered` is true when the backend sent any HTTP response. */
export interface ProbeResult {
  ok: boolean;
  httpAnswered: boolean;
  models: string[] | null;
  error: string | null;
}

/** Performs an HTTP GET with a timeout; resolves to status and parsed JSON (undefined if not JSON). */
export type ProbeFetch = (url: string, headers: Record<string, string>, signal: AbortSignal) => Promise<{ status: number; json: unknown }>;

/** The default probe transport, built on the global fetch (undici). */
export const fetchJson: ProbeFetch = async (url, headers, signal) => {
  const response = await fetch(url, { headers, signal });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json };
};

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
      if (status !== 200) return { ok: false, httpAnswered: true, models: null, error: `GET /health answered ${status}` };
      if (backend.configuredModels !== null) return { ok: true, httpAnswered: true, models: null, error: null };
      const listed = await fetchImpl(`${backend.url}/v1/models`, headers, signal);
      return { ok: true, httpAnswered: true, models: listed.status === 200 ? readModelIds(listed.json, 'data', 'id') : null, error: null };
    }
    const { path, listKey, idKey } = backend.type === 'ollama' ? OLLAMA_TAGS : OPENAI_MODELS;
    const { status, json } = await fetchImpl(`${backend.url}${path}`, headers, signal);
    answered = true;
    if (status !== 200) return { ok: false, httpAnswered: true, models: null, error: `GET ${path} answered ${status}` };
    const models = readModelIds(json, listKey, idKey);
    if (models === null) return { ok: false, httpAnswered: true, models: null, error: `GET ${path}: unexpected body` };
    return { ok: true, httpAnswered: true, models, error: null };
  } catch (error) {
    const reason = signal.aborted ? 'health check timed out' : describeFetchError(error);
    return { ok: false, httpAnswered: answered, models: null, error: reason };
  }
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}
