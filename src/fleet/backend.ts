// One backend of the fleet: its identity, health status, models, in-flight count and latency.

import type { BackendConfig, BackendType } from '../config/types.js';

/** Health status; a backend starts `unknown` until its first check. */
export type BackendStatus = 'unknown' | 'healthy' | 'unhealthy';

// Weight of the newest sample in the latency average: recent behaviour counts most.
const LATENCY_EWMA_ALPHA = 0.3;

/** A registered backend. Every field is set in the constructor so its shape never changes. */
export class Backend {
  /** Configured name: the backend's identity in labels, stats and headers. */
  readonly name: string;
  /** Base URL without trailing slash. */
  readonly url: string;
  /** Backend type (decides the health probe). */
  readonly type: BackendType;
  /** Priority: lower is preferred. */
  readonly priority: number;
  /** Models from the config; when set they are authoritative and the probe does not replace them. */
  readonly configuredModels: readonly string[] | null;
  /** Name of the env variable holding the API key, if any (the key is read when sending, never stored). */
  readonly apiKeyEnv: string | null;
  /** Current status. */
  status: BackendStatus = 'unknown';
  /** Models currently served. */
  models: ReadonlySet<string>;
  /** Upstream requests in flight right now. */
  pending = 0;
  /** Moving average of observed latency in ms (health checks and time to response headers); 0 until measured. */
  latencyMs = 0;
  /** Wall-clock time of the last completed health check (ms since epoch), or 0. */
  lastCheck = 0;
  /** Last health-check error, or null. */
  lastError: string | null = null;
  /** Consecutive successful checks. */
  consecutiveSuccesses = 0;
  /** Consecutive failed checks. */
  consecutiveFailures = 0;

  /** Builds a backend from its validated configuration. */
  constructor(config: BackendConfig) {
    this.name = config.name;
    this.url = config.url;
    this.type = config.type;
    this.priority = config.priority;
    this.configuredModels = config.models === undefined ? null : Object.freeze([...config.models]);
    this.apiKeyEnv = config.api_key_env ?? null;
    this.models = new Set(config.models ?? []);
  }

  /** Whether requests may be routed here. */
  get isHealthy(): boolean {
    return this.status === 'healthy';
  }

  /** Whether this backend serves the model (regardless of health). */
  serves(model: string): boolean {
    return this.models.has(model);
  }

  /** Folds one latency sample (ms) into the moving average. */
  recordLatency(ms: number): void {
    if (!(ms >= 0)) return;
    this.latencyMs = this.latencyMs === 0 ? ms : this.latencyMs + LATENCY_EWMA_ALPHA * (ms - this.latencyMs);
  }
}
