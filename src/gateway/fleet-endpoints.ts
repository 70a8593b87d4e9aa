// GET /v1/backends and GET /health: read-only views of the fleet (no secrets).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fleet } from '../fleet/fleet.js';
import { sendJson } from '../server/respond.js';

/** Builds the fleet endpoints over a registry; `uptimeSeconds` reads the gateway's uptime. */
export function createFleetEndpoints(fleet: Fleet, uptimeSeconds: () => number) {
  return {
    backends(_req: IncomingMessage, res: ServerResponse): void {
      const backends = fleet.all().map((b) => ({
        name: b.name,
        url: b.url,
        type: b.type,
        status: b.status,
        priority: b.priority,
        models: [...b.models].sort(),
        pending: b.pending,
        latency_ms: Math.round(b.latencyMs * 10) / 10,
        last_check: b.lastCheck === 0 ? null : new Date(b.lastCheck).toISOString(),
        last_error: b.lastError,
      }));
      sendJson(res, 200, { backends });
    },
    health(_req: IncomingMessage, res: ServerResponse): void {
      const summary = fleet.summary();
      const status = summary.total > 0 && summary.healthy === summary.total ? 'healthy' : summary.healthy > 0 ? 'degraded' : 'unhealthy';
      sendJson(res, 200, {
        status,
        uptime_seconds: Math.floor(uptimeSeconds()),
        backends: { total: summary.total, healthy: summary.healthy, unhealthy: summary.total - summary.healthy },
        models: summary.models,
      });
    },
  };
}
