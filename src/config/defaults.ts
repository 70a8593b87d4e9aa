// Default configuration values (SPEC section 1) and the zero-config local Ollama backend.

import type { BackendConfig, NexusConfig } from './types.js';

/** Default priority of a backend (lower is preferred). */
export const DEFAULT_BACKEND_PRIORITY = 50;

/** The backend added when none is configured: the most common single-machine setup. */
export const LOCAL_OLLAMA_BACKEND: BackendConfig = {
  name: 'local-ollama',
  url: 'http://127.0.0.1:11434',
  type: 'ollama',
  priority: DEFAULT_BACKEND_PRIORITY,
};

/** A fresh copy of the defaults. */
export function defaultConfig(): NexusConfig {
  return {
    server: {
      host: '127.0.0.1',
      port: 8000,
      request_timeout_seconds: 300,
      stream_idle_timeout_seconds: 60,
      max_body_bytes: 10 * 1024 * 1024,
      max_response_bytes: 16 * 1024 * 1024,
      shutdown_drain_seconds: 10,
      workers: 1,
      tls: null,
      max_concurrent_requests: 1024,
      max_inflight_body_bytes: 256 * 1024 * 1024,
      headers_timeout_seconds: 30,
      body_timeout_seconds: 60,
      write_stall_timeout_seconds: 120,
    },
    health_check: {
      enabled: true,
      interval_seconds: 30,
      timeout_seconds: 5,
      failure_threshold: 3,
      recovery_threshold: 2,
    },
    routing: {
      strategy: 'smart',
      max_retries: 2,
      weights: { priority: 50, load: 30, latency: 20 },
      aliases: {},
      fallbacks: {},
      first_byte_timeout_seconds: 120,
      attempt_timeout_seconds: 300,
      outlier: { consecutive_failures: 3, base_ejection_seconds: 30 },
    },
    metrics: { enabled: true, max_series_per_metric: 10_000 },
    logging: { level: 'info', access: true },
    auth: { keys: [] },
    dashboard: { enabled: true },
    backends: [],
  };
}
