// The commented example configuration written by `nexus config init` ("//" keys are comments). It
// spreads every default section, so the example can never leave a setting out or drift from the
// defaults; only the sample aliases, fallbacks, backends and the commented API key are illustrations.

import { defaultConfig } from './defaults.js';
import type { AuthKeyConfig, BackendConfig } from './types.js';

// Sample backends: a local Ollama and a vLLM server whose key comes from the environment.
const SAMPLE_BACKENDS: (BackendConfig & { '//'?: string })[] = [
  { name: 'local-ollama', url: 'http://127.0.0.1:11434', type: 'ollama', priority: 10 },
  { '//': 'The key is read from the named environment variable, never stored here.', name: 'gpu-vllm', url: 'http://127.0.0.1:8001', type: 'vllm', priority: 20, api_key_env: 'VLLM_API_KEY' },
];

/**
 * A sample API key, left as a comment: a live entry would make start-up fail until its environment
 * variable is set (SPEC 8), and the example must start as written.
 */
export const SAMPLE_AUTH_KEY: AuthKeyConfig = { name: 'ci-bot', api_key_env: 'NEXUS_KEY_CI_BOT', scopes: ['chat'], models: ['llama3:8b'], rate_limit_rpm: 600 };

/** Builds the example config document: every default section, with comments and sample routing, backends and key. */
export function buildExampleConfig(): Record<string, unknown> {
  const defaults = defaultConfig();
  return {
    '//': 'Nexus gateway configuration. Keys starting with // are comments. Every key is optional.',
    ...defaults,
    server: {
      '//': 'Bind to loopback unless you mean to expose the gateway. workers: a number or "auto" (one per core). tls: {cert_file, key_file} serves HTTPS.',
      ...defaults.server,
    },
    routing: {
      '//': 'strategy: smart | round_robin | priority_only | random. Retries go to the next backend.',
      ...defaults.routing,
      aliases: { 'gpt-4': 'llama3:70b' },
      fallbacks: { 'llama3:70b': ['llama3:8b'] },
    },
    auth: {
      '//': 'Access control is off while keys is empty. Each key: {name, api_key_env | key_file, scopes: chat | metrics | admin, models?, rate_limit_rpm?}; SIGHUP re-reads key files.',
      '// example key (move it into keys to use it)': SAMPLE_AUTH_KEY,
      ...defaults.auth,
    },
    dashboard: { '//': 'GET / serves the live dashboard.', ...defaults.dashboard },
    backends: SAMPLE_BACKENDS,
  };
}

/** Text of the example config file. */
export const EXAMPLE_CONFIG = `${JSON.stringify(buildExampleConfig(), null, 2)}\n`;
