// The metric families of SPEC section 3 (plus the operator extras of the request-metrics issue),
// declared once with their names, labels and buckets.

import { Registry, type Counter, type Gauge, type Histogram } from '../metrics/index.js';

/** Buckets of request duration and backend latency, in seconds. */
export const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** Buckets of token counts. */
export const TOKEN_BUCKETS = [10, 50, 100, 500, 1000, 4000, 8000, 16000, 32000, 64000, 128000];
/**
 * Buckets of an upstream attempt's time to its first byte and of a stream's time to first token, in
 * seconds (SPEC 3): both reach 120 s, the default first-byte timeout, so a slow first token is never just `+Inf`.
 */
export const FIRST_BYTE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Buckets of the time the gateway itself adds, in seconds (sub-millisecond resolution). */
export const OVERHEAD_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1];

/** Every family the gateway records. */
export interface GatewayFamilies {
  registry: Registry;
  requests: Counter;
  duration: Histogram;
  errors: Counter;
  fallbacks: Counter;
  tokens: Histogram;
  backendLatency: Histogram;
  backendsTotal: Gauge;
  backendsHealthy: Gauge;
  modelsAvailable: Gauge;
  pending: Gauge;
  queued: Gauge;
  timeToFirstToken: Histogram;
  overhead: Histogram;
  clientRequests: Counter;
  clientTokens: Counter;
  upstreamAttempts: Counter;
  upstreamFirstByte: Histogram;
  backendUp: Gauge;
  backendEjected: Gauge;
  backendEjections: Counter;
}

/**
 * Builds the registry and declares every family. `collectFleet` runs at scrape time before the
 * fleet gauges render and fills them all from one look at the fleet, so they agree with each other.
 */
export function createGatewayFamilies(maxSeriesPerMetric: number, collectFleet: (families: GatewayFamilies) => void): GatewayFamilies {
  const registry = new Registry({ maxSeriesPerMetric });
  const families: GatewayFamilies = {
    registry,
    requests: registry.counter({ name: 'nexus_requests_total', help: 'Chat completion requests, by served model, backend and HTTP status sent to the client.', labelNames: ['model', 'backend', 'status'] }),
    duration: registry.histogram({ name: 'nexus_request_duration_seconds', help: 'Chat completion duration from handler entry to last byte sent.', labelNames: ['model', 'backend'], buckets: DURATION_BUCKETS, exemplarLabel: 'request_id' }),
    errors: registry.counter({ name: 'nexus_errors_total', help: 'Chat completion requests that did not end in 2xx, by error type.', labelNames: ['error_type', 'model'] }),
    fallbacks: registry.counter({ name: 'nexus_fallbacks_total', help: 'Requests served by a fallback model.', labelNames: ['from_model', 'to_model'] }),
    tokens: registry.histogram({ name: 'nexus_tokens_total', help: 'Tokens per request as reported by the backend, by type (prompt or completion).', labelNames: ['model', 'backend', 'type'], buckets: TOKEN_BUCKETS }),
    backendLatency: registry.histogram({ name: 'nexus_backend_latency_seconds', help: 'Latency of health checks that got an HTTP answer.', labelNames: ['backend'], buckets: DURATION_BUCKETS }),
    backendsTotal: registry.gauge({ name: 'nexus_backends_total', help: 'Registered backends.', collect: () => collectFleet(families) }),
    backendsHealthy: registry.gauge({ name: 'nexus_backends_healthy', help: 'Backends in status healthy.' }),
    modelsAvailable: registry.gauge({ name: 'nexus_models_available', help: 'Distinct models on healthy backends.' }),
    pending: registry.gauge({ name: 'nexus_pending_requests', help: 'Upstream requests in flight, per backend.', labelNames: ['backend'] }),
    queued: registry.gauge({ name: 'nexus_upstream_queued', help: 'Upstream requests waiting for a connection to their backend (max_connections reached).', labelNames: ['backend'] }),
    timeToFirstToken: registry.histogram({ name: 'nexus_time_to_first_token_seconds', help: 'Time from request start to the first streamed byte sent to the client.', labelNames: ['model', 'backend'], buckets: FIRST_BYTE_BUCKETS }),
    overhead: registry.histogram({ name: 'nexus_gateway_overhead_seconds', help: 'Time the gateway itself adds to a chat request: total (for streams: to the first byte sent) minus time spent waiting on backends.', buckets: OVERHEAD_BUCKETS }),
    clientRequests: registry.counter({ name: 'nexus_client_requests_total', help: 'Chat requests per API key (its configured name), by HTTP status sent.', labelNames: ['key', 'status'] }),
    clientTokens: registry.counter({ name: 'nexus_client_tokens_total', help: 'Tokens reported by backends per API key, by type (prompt or completion).', labelNames: ['key', 'type'] }),
    // Failing backends (SPEC 2.1): every attempt, its first byte, and the fleet's view filled at scrape time.
    upstreamAttempts: registry.counter({ name: 'nexus_upstream_attempts_total', help: 'Upstream attempts, by backend and how they ended.', labelNames: ['backend', 'outcome'] }),
    upstreamFirstByte: registry.histogram({ name: 'nexus_upstream_first_byte_seconds', help: 'Per upstream attempt: request sent to first response byte (JSON: headers; stream: first SSE byte).', labelNames: ['backend'], buckets: FIRST_BYTE_BUCKETS }),
    backendUp: registry.gauge({ name: 'nexus_backend_up', help: '1 while the health checker says the backend is healthy, else 0.', labelNames: ['backend'] }),
    backendEjected: registry.gauge({ name: 'nexus_backend_ejected', help: '1 while outlier detection has ejected the backend, else 0.', labelNames: ['backend'] }),
    backendEjections: registry.counter({ name: 'nexus_backend_ejections_total', help: 'Ejections of the backend by outlier detection.', labelNames: ['backend'] }),
  };
  return families;
}
