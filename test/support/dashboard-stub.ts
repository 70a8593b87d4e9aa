// A stand-in for the gateway's /v1/stats beside the real dashboard routes: it lets the browser test
// show every field SPEC 4 allows, including those a live gateway does not report yet.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDashboardHandler } from '../../src/dashboard/dashboard-handler.js';
import type { StatsDocument } from '../../src/gateway/stats.js';

/** A server with the dashboard's routes and a scripted /v1/stats, for what a live gateway cannot show yet. */
export async function startStub(answer: () => { status: number; body: unknown }): Promise<{ url: string; close: () => Promise<void> }> {
  const routes = createDashboardHandler();
  const server: Server = createServer((req, res) => {
    if (req.url === '/v1/stats') {
      const { status, body } = answer();
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
      return;
    }
    const handler = routes.get(req.url ?? '');
    if (handler !== undefined) return handler(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Every field SPEC 4 lets the dashboard read, for `total` requests: typed as the gateway's own
 * document, so the stub cannot drift from what /v1/stats reports; statuses and outcomes are real ones.
 */
export function fullStats(total: number): StatsDocument {
  const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
  return {
    uptime_seconds: 7384,
    requests: { total, success: total - 5, errors: 5 },
    fallbacks: 35,
    fallback_pairs: [
      { from: 'llama3:70b', to: 'llama3:8b', count: 31 },
      { from: 'qwen2:72b', to: 'qwen2:7b', count: 4 },
    ],
    backends: [
      { id: 'gpu-a', requests: 900, average_latency_ms: 812.4, pending: 7, queued: 0, status: 'healthy', ejected_until: null, attempts: { success: 900, timeout: 2 } },
      // Ejected by outlier detection while its health probe still passes (SPEC 2.1).
      { id: 'gpu-b', requests: 40, average_latency_ms: 0, pending: 0, queued: 0, status: 'healthy', ejected_until: inAnHour, attempts: { success: 37, server_error: 3 } },
      { id: 'gpu-c', requests: 0, average_latency_ms: 0, pending: 0, queued: 0, status: 'unhealthy', ejected_until: null, attempts: { connect_error: 1 } },
      { id: 'gpu-d', requests: 0, average_latency_ms: 0, pending: 0, queued: 0, status: 'unknown', ejected_until: null, attempts: {} },
    ],
    models: [{ name: 'llama3:8b', requests: 940, average_duration_ms: 640.2, p50_ms: 512, p95_ms: 1830.2, ttft_p50_ms: 88.1, ttft_p95_ms: 0 }],
    recent_errors: [{ time: new Date().toISOString(), request_id: 'req-7', model: 'llama3:8b', backend: 'gpu-b', status: 502, error_type: 'backend_error', message: '<b>upstream</b> said 500' }],
    keys: [{ name: 'ci-bot', requests: 812, errors: 3, prompt_tokens: 91823, completion_tokens: 401233 }],
  };
}
