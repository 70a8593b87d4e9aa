// GET /metrics (Prometheus text, gzip when the scraper accepts it) and GET /v1/stats; both answer
// 503 metrics_unavailable when metrics are disabled.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzip } from 'node:zlib';
import { negotiateExpositionFormat } from '../metrics/index.js';
import type { Fleet } from '../fleet/fleet.js';
import { GatewayError } from '../errors/gateway-error.js';
import { sendError, sendJson } from '../server/respond.js';
import type { Instrumentation } from './instrumentation.js';
import type { RecentErrors } from './recent-errors.js';
import { computeStats } from './stats.js';

const GZIP_OPTIONS = { level: 1 };

function unavailable(res: ServerResponse): void {
  sendError(res, new GatewayError('metrics_unavailable', 'Metrics collection not initialized'));
}

/** Builds the two metrics endpoints; `instrumentation` is null when metrics are disabled. */
export function createMetricsEndpoints(instrumentation: Instrumentation | null, recentErrors: RecentErrors, fleet: Fleet, uptimeSeconds: () => number) {
  return {
    metrics(req: IncomingMessage, res: ServerResponse): void {
      if (instrumentation === null) return unavailable(res);
      // OpenMetrics when the scraper prefers it (Prometheus does), else 0.0.4 (SPEC 3.1). The bytes
      // live in a pooled buffer until the response is done with them, so overlapping scrapes never
      // share one and a scrape allocates no 1 MB buffer.
      const scrape = instrumentation.families.registry.renderPooled(negotiateExpositionFormat(req.headers.accept));
      const accepts = req.headers['accept-encoding'];
      if (typeof accepts === 'string' && /\bgzip\b/.test(accepts)) {
        // Compressed in zlib's thread pool, so a scrape never blocks the event loop. Level 1: on a
        // fleet's 1 MB exposition (1,000 series, 11,000 samples) it takes 0.84 ms against 4.5 ms at the
        // default level 6, for 55 KB instead of 43 KB (measured with bench:gateway's live registry).
        gzip(scrape.bytes, GZIP_OPTIONS, (error, zipped) => {
          scrape.release();
          if (error !== null) return sendError(res, new GatewayError('internal_error', 'compression failed'));
          res.writeHead(200, { 'content-type': scrape.contentType, 'content-encoding': 'gzip', 'content-length': zipped.length, vary: 'accept, accept-encoding' });
          res.end(zipped);
        });
        return;
      }
      res.once('close', () => scrape.release());
      res.writeHead(200, { 'content-type': scrape.contentType, 'content-length': scrape.bytes.length, vary: 'accept, accept-encoding' });
      res.end(scrape.bytes);
    },
    stats(_req: IncomingMessage, res: ServerResponse): void {
      if (instrumentation === null) return unavailable(res);
      sendJson(res, 200, computeStats(instrumentation, fleet, uptimeSeconds(), recentErrors.list()));
    },
  };
}
