// What the proxy reports about each upstream attempt, as it ends: which backend, how it ended, how
// long it took to its first byte and in all. The proxy only reports; the gateway decides what an
// attempt means (metrics, outlier ejection, logs) through the observer it passes in.

import type { AttemptOutcome } from '../errors/attempt-outcome.js';
import type { Backend } from '../fleet/backend.js';

/** One finished upstream attempt. */
export interface AttemptRecord {
  /** The request the attempt served. */
  readonly requestId: string;
  readonly backend: Backend;
  readonly outcome: AttemptOutcome;
  /** The upstream HTTP status, 0 when none arrived. */
  readonly status: number;
  /** Request sent -> first response byte (JSON: headers; stream: first SSE byte), ms; -1 if none came. */
  readonly firstByteMs: number;
  /** Request sent -> attempt over, ms. */
  readonly durationMs: number;
}

/** Hears every upstream attempt exactly once, when it ends. */
export interface AttemptObserver {
  attemptFinished(record: AttemptRecord): void;
}
