// What the gateway does with what the fleet and the proxy report about backends: each upstream
// attempt feeds outlier ejection and the metrics; failures, ejections, recoveries and a backend
// going down are logged at warn (SPEC 6). The fleet and the proxy never log or record themselves.

import { isAttemptFailure } from '../errors/attempt-outcome.js';
import type { Backend } from '../fleet/backend.js';
import type { Fleet } from '../fleet/fleet.js';
import type { OutlierEvent } from '../fleet/outlier-detector.js';
import type { Logger } from '../logging/logger.js';
import type { AttemptObserver, AttemptRecord } from '../proxy/attempt-record.js';
import type { Instrumentation } from './instrumentation.js';

/** Builds the observer of every upstream attempt: outlier detection, then metrics, then a warn line on failure. */
export function createAttemptObserver(fleet: Fleet, instrumentation: Instrumentation | null, logger: Logger): AttemptObserver {
  return {
    attemptFinished(record: AttemptRecord): void {
      const failed = isAttemptFailure(record.outcome);
      const cause = record.outcome === 'server_error' ? `HTTP ${record.status}` : record.outcome;
      fleet.outliers.recordAttempt(record.backend, failed, record.outcome === 'success', record.durationMs, cause);
      instrumentation?.attemptFinished(record);
      if (failed) {
        logger.warn('upstream attempt failed', {
          request_id: record.requestId,
          backend: record.backend.name,
          outcome: record.outcome,
          status: record.status === 0 ? null : record.status,
          duration_ms: Math.round(record.durationMs),
        });
      }
    },
  };
}

/** Logs an ejection or a recovery at warn, with the reason. */
export function logOutlierEvent(logger: Logger, event: OutlierEvent): void {
  const backend = event.backend;
  if (event.kind === 'ejected') {
    logger.warn('backend ejected', {
      backend: backend.name,
      reason: event.reason,
      ejected_for_seconds: event.ejectionMs / 1000,
      ejected_until: new Date(backend.ejectedUntil).toISOString(),
      ejections: backend.ejections,
    });
  } else {
    logger.warn('backend recovered', { backend: backend.name, reason: event.reason });
  }
}

/** Logs a health status change: at warn when the backend stops being healthy, else at info; `redact` cleans the error text. */
export function logStatusChange(logger: Logger, backend: Backend, previous: string, redact: (text: string | null) => string | null = (text) => text): void {
  const fields = { backend: backend.name, from: previous, to: backend.status, error: redact(backend.lastError) };
  if (backend.status === 'healthy') logger.info('backend status changed', fields);
  else logger.warn('backend status changed', fields);
}
