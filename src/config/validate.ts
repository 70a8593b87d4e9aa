// Validation of a raw JSON configuration against the schema of SPEC section 1: every bad value is
// reported with its JSON path, unknown keys become warnings, alias cycles are rejected.

import { sanitizeLabelValue } from '../metrics/index.js';
import { ConfigError } from './config-error.js';
import { DEFAULT_BACKEND_PRIORITY, defaultConfig } from './defaults.js';
import { findAliasProblem } from './aliases.js';
import { validateAuth, validateTls } from './validate-auth.js';
import { BACKEND_TYPES, LOG_LEVELS, ROUTING_STRATEGIES, type BackendConfig, type BackendType, type NexusConfig } from './types.js';

/** A validated configuration and the warnings (unknown keys) found on the way. */
export interface ValidatedConfig {
  config: NexusConfig;
  warnings: string[];
}

type Json = Record<string, unknown>;

/** Longest duration accepted anywhere (every `*_seconds`): Node clamps timers past 2^31 - 1 ms (24.8 days) to 1 ms. */
export const MAX_SECONDS = 2_000_000;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Keys starting with "//" are comments (the convention `nexus config init` writes).
function isComment(key: string): boolean {
  return key.startsWith('//');
}

class Validator {
  readonly warnings: string[] = [];
  constructor(readonly source: string) {}

  fail(path: string, problem: string): never {
    throw new ConfigError(this.source, path, problem);
  }

  object(value: unknown, path: string, known: readonly string[]): Json {
    if (!isObject(value)) this.fail(path, 'must be an object');
    for (const key of Object.keys(value)) {
      if (!known.includes(key) && !isComment(key)) this.warnings.push(`${this.source}: unknown key ${path === '' ? key : path + '.' + key} (ignored)`);
    }
    return value;
  }

  /**
   * An object whose keys are free-form names (aliases, fallbacks): no unknown-key warnings. `__proto__`
   * is refused: assigning it to a plain object would replace the table's prototype, not add a name.
   */
  map(value: unknown, path: string): Json {
    if (!isObject(value)) this.fail(path, 'must be an object');
    if (Object.hasOwn(value, '__proto__')) this.fail(`${path}.__proto__`, '"__proto__" is a reserved name');
    return value;
  }

  /** A duration: > 0 (>= 0 with `allowZero`) and at most MAX_SECONDS, which Node's timers can hold. */
  seconds(value: unknown, path: string, fallback: number, allowZero = false): number {
    const seconds = this.number(value, path, fallback, { max: MAX_SECONDS });
    if (allowZero ? seconds < 0 : seconds <= 0) this.fail(path, allowZero ? 'must be >= 0' : 'must be > 0');
    return seconds;
  }

  number(value: unknown, path: string, fallback: number, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(path, 'must be a number');
    if (opts.integer === true && !Number.isInteger(value)) this.fail(path, 'must be an integer');
    if (opts.min !== undefined && value < opts.min) this.fail(path, `must be >= ${opts.min}`);
    if (opts.max !== undefined && value > opts.max) this.fail(path, `must be <= ${opts.max}`);
    return value;
  }

  boolean(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(path, 'must be true or false');
    return value;
  }

  string(value: unknown, path: string, fallback?: string): string {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || value === '') this.fail(path, 'must be a non-empty string');
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[], fallback: T): T {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(path, `must be one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  stringList(value: unknown, path: string): string[] {
    if (!Array.isArray(value)) this.fail(path, 'must be an array of strings');
    return value.map((item, i) => this.string(item, `${path}[${i}]`));
  }
}

// The URL with anything between "//" and "@" masked, for messages about a URL that does not parse.
function redactUserinfo(url: string): string {
  return url.replace(/\/\/[^/?#]*@/, '//***@');
}

function validateBackend(v: Validator, raw: unknown, path: string): BackendConfig {
  const obj = v.object(raw, path, ['name', 'url', 'type', 'priority', 'api_key_env', 'models', 'max_connections']);
  const name = v.string(obj.name, `${path}.name`);
  const url = v.string(obj.url, `${path}.url`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    v.fail(`${path}.url`, `${JSON.stringify(redactUserinfo(url))} is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') v.fail(`${path}.url`, 'must be an http:// or https:// URL');
  // Credentials in the URL would show wherever the URL does; the key belongs in api_key_env.
  if (parsed.username !== '' || parsed.password !== '') {
    v.fail(`${path}.url`, 'credentials (user:password@) are not allowed in a backend URL: name an environment variable in api_key_env');
  }
  const backend: BackendConfig = {
    name,
    url: url.replace(/\/+$/, ''),
    type: v.oneOf<BackendType>(obj.type, `${path}.type`, BACKEND_TYPES, 'generic'),
    priority: v.number(obj.priority, `${path}.priority`, DEFAULT_BACKEND_PRIORITY, { integer: true, min: 0 }),
  };
  if (obj.api_key_env !== undefined) backend.api_key_env = v.string(obj.api_key_env, `${path}.api_key_env`);
  if (obj.max_connections !== undefined) backend.max_connections = v.number(obj.max_connections, `${path}.max_connections`, 0, { integer: true, min: 1, max: 1_000_000 });
  if (obj.models !== undefined) backend.models = v.stringList(obj.models, `${path}.models`);
  return backend;
}

/** Validates raw JSON (already parsed) into a complete configuration; throws ConfigError naming the bad key. */
export function validateConfig(raw: unknown, source: string): ValidatedConfig {
  const v = new Validator(source);
  const d = defaultConfig();
  const root = v.object(raw ?? {}, '', ['server', 'health_check', 'routing', 'metrics', 'logging', 'auth', 'dashboard', 'backends']);

  const server = v.object(root.server ?? {}, 'server', [
    'host', 'port', 'request_timeout_seconds', 'stream_idle_timeout_seconds', 'max_body_bytes', 'max_response_bytes', 'shutdown_drain_seconds', 'workers', 'tls',
    'max_concurrent_requests', 'max_inflight_body_bytes', 'headers_timeout_seconds', 'body_timeout_seconds', 'write_stall_timeout_seconds',
  ]);
  d.server.host = v.string(server.host, 'server.host', d.server.host);
  d.server.port = v.number(server.port, 'server.port', d.server.port, { integer: true, min: 0, max: 65535 });
  d.server.request_timeout_seconds = v.seconds(server.request_timeout_seconds, 'server.request_timeout_seconds', d.server.request_timeout_seconds);
  d.server.stream_idle_timeout_seconds = v.seconds(server.stream_idle_timeout_seconds, 'server.stream_idle_timeout_seconds', d.server.stream_idle_timeout_seconds);
  d.server.max_body_bytes = v.number(server.max_body_bytes, 'server.max_body_bytes', d.server.max_body_bytes, { integer: true, min: 1 });
  d.server.max_response_bytes = v.number(server.max_response_bytes, 'server.max_response_bytes', d.server.max_response_bytes, { integer: true, min: 1 });
  d.server.shutdown_drain_seconds = v.seconds(server.shutdown_drain_seconds, 'server.shutdown_drain_seconds', d.server.shutdown_drain_seconds, true);
  d.server.max_concurrent_requests = v.number(server.max_concurrent_requests, 'server.max_concurrent_requests', d.server.max_concurrent_requests, { integer: true, min: 1 });
  d.server.max_inflight_body_bytes = v.number(server.max_inflight_body_bytes, 'server.max_inflight_body_bytes', d.server.max_inflight_body_bytes, { integer: true, min: 1 });
  d.server.headers_timeout_seconds = v.seconds(server.headers_timeout_seconds, 'server.headers_timeout_seconds', d.server.headers_timeout_seconds);
  d.server.body_timeout_seconds = v.seconds(server.body_timeout_seconds, 'server.body_timeout_seconds', d.server.body_timeout_seconds);
  d.server.write_stall_timeout_seconds = v.seconds(server.write_stall_timeout_seconds, 'server.write_stall_timeout_seconds', d.server.write_stall_timeout_seconds);

  d.server.workers = server.workers === 'auto' ? 'auto' : v.number(server.workers, 'server.workers', 1, { integer: true, min: 1, max: 1024 });

  validateTls(server.tls, source, d);

  const health = v.object(root.health_check ?? {}, 'health_check', ['enabled', 'interval_seconds', 'timeout_seconds', 'failure_threshold', 'recovery_threshold']);
  d.health_check.enabled = v.boolean(health.enabled, 'health_check.enabled', d.health_check.enabled);
  d.health_check.interval_seconds = v.seconds(health.interval_seconds, 'health_check.interval_seconds', d.health_check.interval_seconds);
  d.health_check.timeout_seconds = v.seconds(health.timeout_seconds, 'health_check.timeout_seconds', d.health_check.timeout_seconds);
  d.health_check.failure_threshold = v.number(health.failure_threshold, 'health_check.failure_threshold', d.health_check.failure_threshold, { integer: true, min: 1 });
  d.health_check.recovery_threshold = v.number(health.recovery_threshold, 'health_check.recovery_threshold', d.health_check.recovery_threshold, { integer: true, min: 1 });

  const routing = v.object(root.routing ?? {}, 'routing', [
    'strategy', 'max_retries', 'weights', 'aliases', 'fallbacks', 'first_byte_timeout_seconds', 'attempt_timeout_seconds', 'outlier',
  ]);
  d.routing.strategy = v.oneOf(routing.strategy, 'routing.strategy', ROUTING_STRATEGIES, d.routing.strategy);
  d.routing.max_retries = v.number(routing.max_retries, 'routing.max_retries', d.routing.max_retries, { integer: true, min: 0, max: 10 });
  const weights = v.object(routing.weights ?? {}, 'routing.weights', ['priority', 'load', 'latency']);
  for (const key of ['priority', 'load', 'latency'] as const) {
    d.routing.weights[key] = v.number(weights[key], `routing.weights.${key}`, d.routing.weights[key], { min: 0 });
  }
  const aliases = v.map(routing.aliases ?? {}, 'routing.aliases');
  for (const [name, target] of Object.entries(aliases)) {
    if (isComment(name)) continue;
    d.routing.aliases[name] = v.string(target, `routing.aliases.${name}`);
  }
  const aliasProblem = findAliasProblem(d.routing.aliases);
  if (aliasProblem !== null) v.fail(`routing.aliases.${aliasProblem.alias}`, aliasProblem.problem);
  const fallbacks = v.map(routing.fallbacks ?? {}, 'routing.fallbacks');
  for (const [model, chain] of Object.entries(fallbacks)) {
    if (isComment(model)) continue;
    d.routing.fallbacks[model] = v.stringList(chain, `routing.fallbacks.${model}`);
  }
  // Per-attempt timeouts and outlier ejection (SPEC 1, 2.1).
  d.routing.first_byte_timeout_seconds = v.seconds(routing.first_byte_timeout_seconds, 'routing.first_byte_timeout_seconds', d.routing.first_byte_timeout_seconds);
  d.routing.attempt_timeout_seconds = v.seconds(routing.attempt_timeout_seconds, 'routing.attempt_timeout_seconds', d.routing.attempt_timeout_seconds);
  const outlier = v.object(routing.outlier ?? {}, 'routing.outlier', ['consecutive_failures', 'base_ejection_seconds']);
  d.routing.outlier.consecutive_failures = v.number(outlier.consecutive_failures, 'routing.outlier.consecutive_failures', d.routing.outlier.consecutive_failures, { integer: true, min: 1 });
  d.routing.outlier.base_ejection_seconds = v.seconds(outlier.base_ejection_seconds, 'routing.outlier.base_ejection_seconds', d.routing.outlier.base_ejection_seconds);

  const metrics = v.object(root.metrics ?? {}, 'metrics', ['enabled', 'max_series_per_metric']);
  d.metrics.enabled = v.boolean(metrics.enabled, 'metrics.enabled', d.metrics.enabled);
  d.metrics.max_series_per_metric = v.number(metrics.max_series_per_metric, 'metrics.max_series_per_metric', d.metrics.max_series_per_metric, { integer: true, min: 1 });

  const logging = v.object(root.logging ?? {}, 'logging', ['level', 'access']);
  d.logging.level = v.oneOf(logging.level, 'logging.level', LOG_LEVELS, d.logging.level);
  d.logging.access = v.boolean(logging.access, 'logging.access', d.logging.access);

  validateAuth(root.auth, source, d, v.warnings);

  const dashboard = v.object(root.dashboard ?? {}, 'dashboard', ['enabled']);
  d.dashboard.enabled = v.boolean(dashboard.enabled, 'dashboard.enabled', d.dashboard.enabled);

  const backends: unknown = root.backends;
  if (backends !== undefined) {
    if (!Array.isArray(backends)) v.fail('backends', 'must be an array');
    // Names are compared as metric labels: two that sanitize alike would share every series.
    const labels = new Map<string, string>();
    (backends as unknown[]).forEach((raw: unknown, i: number) => {
      const backend = validateBackend(v, raw, `backends[${i}]`);
      const label = sanitizeLabelValue(backend.name);
      const clash = labels.get(label);
      if (clash === backend.name) v.fail(`backends[${i}].name`, `duplicate backend name ${JSON.stringify(backend.name)}`);
      if (clash !== undefined) {
        v.fail(`backends[${i}].name`, `${JSON.stringify(backend.name)} and ${JSON.stringify(clash)} are the same metrics label ${JSON.stringify(label)}: rename one`);
      }
      labels.set(label, backend.name);
      d.backends.push(backend);
    });
  }
  return { config: d, warnings: v.warnings };
}
