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
  /** Most connections at once to this backend; absent = unlimited. Requests beyond it wait (nexus_upstream_queued). */
  max_connections?: number;
  /** Models served, when they are not discovered by the health probe. */
  models?: string[];
}

/** Access-control scopes (SPEC 8); `admin` implies the other two. */
export type Scope = 'chat' | 'metrics' | 'admin';

/** Every scope, for validation. */
export const SCOPES: readonly Scope[] = ['chat', 'metrics', 'admin'];

/** One API key: its name (used in labels and logs) and where its secret comes from, never the secret. */
export interface AuthKeyConfig {
  name: string;
  /** Environment variable holding the secret. */
  api_key_env?: string;
  /** File holding the secret (re-read on SIGHUP). */
  key_file?: string;
  scopes: Scope[];
  /** Models this key may use; absent = all. */
  models?: string[];
  /** Chat requests allowed per sliding 60 s window; absent = unlimited. */
  rate_limit_rpm?: number;
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
    /** node:cluster workers sharing the port; `auto` = os.availableParallelism(); 1 = one process, no cluster. */
    workers: number | 'auto';
    /** Serve HTTPS with these PEM files; null = plain HTTP. */
    tls: { cert_file: string; key_file: string } | null;
    /** Chat requests in flight at once, counted from arrival; beyond it 503 `overloaded`. */
    max_concurrent_requests: number;
    /** Request and buffered response bytes held at once, all requests together; beyond it 503 `overloaded`. */
    max_inflight_body_bytes: number;
    /** Longest a client may take to send its request headers (408). */
    headers_timeout_seconds: number;
    /** Longest a client may take to send its request body (408). */
    body_timeout_seconds: number;
    /** Longest a client may accept no byte of its response before it is disconnected (499). */
    write_stall_timeout_seconds: number;
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
    /** Streams, per attempt: no first SSE byte in this time fails the attempt (`timeout`). */
    first_byte_timeout_seconds: number;
    /** Non-streaming, per attempt: no complete answer in this time fails the attempt (`timeout`). */
    attempt_timeout_seconds: number;
    /** Outlier ejection (SPEC 2.1): failed attempts in a row that eject a backend, and the first ejection's length. */
    outlier: { consecutive_failures: number; base_ejection_seconds: number };
  };
  metrics: {
    enabled: boolean;
    max_series_per_metric: number;
  };
  logging: {
    level: LogLevel;
    /** One JSON line per chat request on stderr, whatever the level (SPEC 6). */
    access: boolean;
  };
  auth: {
    keys: AuthKeyConfig[];
  };
  dashboard: {
    enabled: boolean;
  };
  backends: BackendConfig[];
}
