// The shape of a validated Nexus configuration (SPEC section 1).

/** Kinds of backend Nexus knows how to probe. */
export type BackendType = 'ollama' | 'llamacpp' | 'vllm' | 'lmstudio' | 'openai' | 'generic';

/** Every backend type, for validation and help text. */
export const BACKEND_TYPES: readonly BackendType[] = ['ollama', 'llamacpp', 'vllm', 'lmstudio', 'openai', 'generic'];

/** Routing strategies. */
export type RoutingStrategy = 'smart' | 'round_robin' | 'priority_only' | 'random';

/** Every routing strategy, for validation. */
export const ROUTING_STRATEGIES: readonly RoutingStrategy[] = ['smart', 'round_robin', 'priority_only', 'random'];

/** Log levels, most verbose first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Every log level, for validation. */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** One configured backend. */
export interface BackendConfig {
  name: string;
  url: string;
  type: BackendType;
  priority: number;
  /** Name of the environment variable holding the API key (the key itself never enters the config). */
  api_key_env?: string;
  /** Models served, when they are not discovered by the health probe. */
  models?: string[];
}

/** A complete, validated configuration. */
export interface NexusConfig {
  server: {
    host: string;
    port: number;
    request_timeout_seconds: number;
    stream_idle_timeout_seconds: number;
    max_body_bytes: number;
    max_response_bytes: number;
    shutdown_drain_seconds: number;
  };
  health_check: {
    enabled: boolean;
    interval_seconds: number;
    timeout_seconds: number;
    failure_threshold: number;
    recovery_threshold: number;
  };
  routing: {
    strategy: RoutingStrategy;
    max_retries: number;
    weights: { priority: number; load: number; latency: number };
    aliases: Record<string, string>;
    fallbacks: Record<string, string[]>;
  };
  metrics: {
    enabled: boolean;
    max_series_per_metric: number;
  };
  logging: {
    level: LogLevel;
  };
  backends: BackendConfig[];
}
