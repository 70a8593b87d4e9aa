// Outlier ejection (SPEC 2.1): a backend whose upstream attempts fail `consecutiveFailures` times in
// a row is ejected (routing skips it) for the base time; when that ends it is on probation and its
// next attempt decides: a failure ejects it again for twice as long (at most max(300 s, base)), a
// success clears it. The state lives on each Backend; this class holds the policy and the clock.

import type { Backend } from './backend.js';

/** When to eject and for how long. */
export interface OutlierPolicy {
  /** Failed attempts in a row that eject a backend. */
  consecutiveFailures: number;
  /** Length of the first ejection, ms. */
  baseEjectionMs: number;
}

/** An ejection or a recovery, for the gateway to log (the fleet never logs itself). */
export interface OutlierEvent {
  kind: 'ejected' | 'recovered';
  backend: Backend;
  /** Why, in a few words (no URLs, no backend text). */
  reason: string;
  /** Length of this ejection, ms (0 for a recovery). */
  ejectionMs: number;
}

// SPEC 2.1: doubling stops at five minutes, or at the base if that is longer.
const MAX_EJECTION_MS = 300_000;

/** Applies attempt results to backends' ejection state. */
export class OutlierDetector {
  private readonly policy: OutlierPolicy;
  private readonly maxEjectionMs: number;
  private readonly now: () => number;
  private readonly onEvent: (event: OutlierEvent) => void;

  /** `now` is a wall clock in ms (ejection ends are shown as times); `onEvent` hears ejections and recoveries. */
  constructor(policy: OutlierPolicy, now: () => number = Date.now, onEvent: (event: OutlierEvent) => void = () => {}) {
    this.policy = policy;
    this.maxEjectionMs = Math.max(MAX_EJECTION_MS, policy.baseEjectionMs);
    this.now = now;
    this.onEvent = onEvent;
  }

  /** The current wall-clock time of the detector's clock, ms. */
  currentTime(): number {
    return this.now();
  }

  /**
   * Takes the result of one attempt that lasted `durationMs`: `failed` (SPEC 2.1 failure), `succeeded`,
   * or neither (busy, 4xx, cancelled: nothing said about the backend). `cause` names the failure.
   */
  recordAttempt(backend: Backend, failed: boolean, succeeded: boolean, durationMs: number, cause: string): void {
    if (!failed && !succeeded) return;
    // The common case, a success of a backend with nothing to clear, reads no clock.
    if (succeeded && backend.consecutiveAttemptFailures === 0 && !backend.onProbation && backend.ejectedUntil === 0) return;
    const now = this.now();
    // An attempt already in flight when the backend was ejected says nothing new: the next one decides.
    if (backend.ejectedAt > 0 && now - durationMs < backend.ejectedAt) return;
    if (succeeded) return this.recordSuccess(backend);
    backend.consecutiveAttemptFailures++;
    if (backend.isEjectedAt(now)) return; // a last-resort attempt while ejected: it stays ejected
    if (backend.onProbation) {
      backend.ejectionMs = Math.min(backend.ejectionMs * 2, this.maxEjectionMs);
      return this.eject(backend, now, `failed again after its ejection (${cause})`);
    }
    if (backend.consecutiveAttemptFailures >= this.policy.consecutiveFailures) {
      backend.ejectionMs = this.policy.baseEjectionMs;
      this.eject(backend, now, `${backend.consecutiveAttemptFailures} failed attempts in a row (last: ${cause})`);
    }
  }

  private recordSuccess(backend: Backend): void {
    const wasOut = backend.onProbation || backend.ejectedUntil > 0;
    backend.consecutiveAttemptFailures = 0;
    backend.onProbation = false;
    backend.ejectedUntil = 0;
    backend.ejectionMs = this.policy.baseEjectionMs;
    if (wasOut) this.onEvent({ kind: 'recovered', backend, reason: 'an attempt succeeded after its ejection', ejectionMs: 0 });
  }

  private eject(backend: Backend, now: number, reason: string): void {
    backend.ejectedAt = now;
    backend.ejectedUntil = now + backend.ejectionMs;
    backend.ejections++;
    backend.onProbation = true;
    this.onEvent({ kind: 'ejected', backend, reason, ejectionMs: backend.ejectionMs });
  }
}
