// The commented example configuration written by `nexus config init` ("//" keys are comments).

/** Text of the example config file. */
export const EXAMPLE_CONFIG = `${JSON.stringify(
  {
    '//': 'Nexus gateway configuration. Keys starting with // are comments. Every key is optional.',
    server: { '//': 'Bind to loopback unless you mean to expose the gateway.', host: '127.0.0.1', port: 8000, request_timeout_seconds: 300, stream_idle_timeout_seconds: 60, max_body_bytes: 10485760 },
    health_check: { enabled: true, interval_seconds: 30, timeout_seconds: 5, failure_threshold: 3, recovery_threshold: 2 },
    routing: {
      '//': 'strategy: smart | round_robin | priority_only | random. Retries go to the next backend.',
      strategy: 'smart',
      max_retries: 2,
      weights: { priority: 50, load: 30, latency: 20 },
      aliases: { 'gpt-4': 'llama3:70b' },
      fallbacks: { 'llama3:70b': ['llama3:8b'] },
    },
    metrics: { enabled: true, max_series_per_metric: 10000 },
    backends: [
      { name: 'local-ollama', url: 'http://127.0.0.1:11434', type: 'ollama', priority: 10 },
      { '//': 'The key is read from the named environment variable, never stored here.', name: 'gpu-vllm', url: 'http://127.0.0.1:8001', type: 'vllm', priority: 20, api_key_env: 'VLLM_API_KEY' },
    ],
  },
  null,
  2,
)}\n`;
