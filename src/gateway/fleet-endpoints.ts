// GET /v1/backends, GET /health and GET /ready: read-only views of the fleet (no secrets).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactUrl } from '../config/secret-redaction.js';
import type { Fleet } from '../fleet/fleet.js';
import { sendJson } from '../server/respond.js';

/** The /health body (SPEC 2): liveness, and the fleet in three numbers. */
function describeHealth(fleet: Fleet, uptimeSeconds: number) {
  const summary = fleet.summary();
  const status = summary.total > 0 && summary.healthy === summary.total ? 'healthy' : summary.healthy > 0 ? 'degraded' : 'unhealthy';
  return {
    status,
    uptime_seconds: Math.floor(uptimeSeconds),
    backends: { total: summary.total, healthy: summary.healthy, unhealthy: summary.total - summary.healthy },
    models: summary.models,
  };
}

/**
 * Builds the fleet endpoints over a registry; `uptimeSeconds` reads the gateway's uptime, `draining`
 * whether it is shutting down, `redact` removes secrets from text that came from elsewhere (an error
 * message quoting a header).
 */
export function createFleetEndpoints(
  fleet: Fleet,
  uptimeSeconds: () => number,
  draining: () => boolean = () => false,
  redact: (text: string | null) => string | null = (text) => text,
) {
  return {
    backends(_req: IncomingMessage, res: ServerResponse): void {
      const now = fleet.outliers.currentTime();
      const backends = fleet.all().map((b) => ({
        name: b.name,
        url: redactUrl(b.url),
        type: b.type,
        status: b.status,
        priority: b.priority,
        models: [...b.models].sort(),
        pending: b.pending,
        queued: b.queued,
        max_connections: Number.isFinite(b.maxConnections) ? b.maxConnections : null,
        latency_ms: Math.round(b.latencyMs * 10) / 10,
        last_check: b.lastCheck === 0 ? null : new Date(b.lastCheck).toISOString(),
        last_error: redact(b.lastError),
        ejected_until: b.isEjectedAt(now) ? new Date(b.ejectedUntil).toISOString() : null,
        consecutive_attempt_failures: b.consecutiveAttemptFailures,
      }));
      sendJson(res, 200, { backends });
    },
    health(_req: IncomingMessage, res: ServerResponse): void {
      sendJson(res, 200, describeHealth(fleet, uptimeSeconds()));
    },
    /** Readiness: 200 while some backend is healthy by its health check (ejected ones still serve as a last resort), else 503; 503 while draining. */
    ready(_req: IncomingMessage, res: ServerResponse): void {
      const body = describeHealth(fleet, uptimeSeconds());
      sendJson(res, body.backends.healthy > 0 && !draining() ? 200 : 503, body);
    },
  };
}
