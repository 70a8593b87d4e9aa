// The commented example configuration written by `nexus config init` ("//" keys are comments). Its
// values are the defaults themselves, so the example can never drift from them; only the sample
// aliases, fallbacks and backends are illustrations.

import { defaultConfig } from './defaults.js';
import type { BackendConfig } from './types.js';

// Sample backends: a local Ollama and a vLLM server whose key comes from the environment.
const SAMPLE_BACKENDS: (BackendConfig & { '//'?: string })[] = [
  { name: 'local-ollama', url: 'http://127.0.0.1:11434', type: 'ollama', priority: 10 },
  { '//': 'The key is read from the named environment variable, never stored here.', name: 'gpu-vllm', url: 'http://127.0.0.1:8001', type: 'vllm', priority: 20, api_key_env: 'VLLM_API_KEY' },
];

/** Builds the example config document: the defaults with comments and sample routing and backends. */
export function buildExampleConfig(): Record<string, unknown> {
  const defaults = defaultConfig();
  return {
    '//': 'Nexus gateway configuration. Keys starting with // are comments. Every key is optional.',
    server: { '//': 'Bind to loopback unless you mean to expose the gateway.', ...defaults.server },
    health_check: defaults.health_check,
    routing: {
      '//': 'strategy: smart | round_robin | priority_only | random. Retries go to the next backend.',
      ...defaults.routing,
      aliases: { 'gpt-4': 'llama3:70b' },
      fallbacks: { 'llama3:70b': ['llama3:8b'] },
    },
    metrics: defaults.metrics,
    logging: defaults.logging,
    backends: SAMPLE_BACKENDS,
  };
}

/** Text of the example config file. */
export const EXAMPLE_CONFIG = `${JSON.stringify(buildExampleConfig(), null, 2)}\n`;
