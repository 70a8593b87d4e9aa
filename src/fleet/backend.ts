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
  /** Upstream requests waiting for a connection (`max_connections` reached). */
  queued = 0;
  /** Most connections to this backend at once (`max_connections`; Infinity: no cap). */
  readonly maxConnections: number;
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
  /** Whether the models are known: configured, or listed by a probe that answered (SPEC 2.1). */
  modelsKnown: boolean;
  /** With health checks off and no configured models, any model name is sent here and the backend decides. */
  acceptsAnyModel = false;
  /** Failed upstream attempts in a row (SPEC 2.1); a success clears it. */
  consecutiveAttemptFailures = 0;
  /** Wall-clock ms until which outlier detection keeps routing away, 0 when not ejected. */
  ejectedUntil = 0;
  /** Wall-clock ms when the current (or last) ejection began, 0 if never ejected. */
  ejectedAt = 0;
  /** Ejections so far. */
  ejections = 0;
  /** Length of the next ejection, ms: the base, doubled on each re-ejection from probation. 0 until first set. */
  ejectionMs = 0;
  /** True after an ejection until the next attempt decides (success clears, failure re-ejects for longer). */
  onProbation = false;

  /** Builds a backend from its validated configuration. */
  constructor(config: BackendConfig) {
    this.name = config.name;
    this.url = config.url;
    this.type = config.type;
    this.priority = config.priority;
    this.configuredModels = config.models === undefined ? null : Object.freeze([...config.models]);
    this.apiKeyEnv = config.api_key_env ?? null;
    this.maxConnections = config.max_connections ?? Infinity;
    this.models = new Set(config.models ?? []);
    this.modelsKnown = config.models !== undefined;
  }

  /** Whether requests may be routed here. */
  get isHealthy(): boolean {
    return this.status === 'healthy';
  }

  /** Whether this backend serves the model (regardless of health). */
  serves(model: string): boolean {
    return this.acceptsAnyModel || this.models.has(model);
  }

  /** Whether outlier detection keeps traffic away at wall-clock time `now`. */
  isEjectedAt(now: number): boolean {
    return this.ejectedUntil > now;
  }

  /** Folds one latency sample (ms) into the moving average. */
  recordLatency(ms: number): void {
    if (!(ms >= 0)) return;
    this.latencyMs = this.latencyMs === 0 ? ms : this.latencyMs + LATENCY_EWMA_ALPHA * (ms - this.latencyMs);
  }
}
