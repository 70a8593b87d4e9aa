// What the primary's one health checker knows about a backend, as it travels to the workers: the
// workers run no health checks of their own, so the backends see one probe per interval, not N.

import type { Backend, BackendStatus } from '../fleet/backend.js';
import type { Fleet } from '../fleet/fleet.js';

/** A backend's health-check state (not its request-path state: pending counts and outlier ejection stay per worker). */
export interface BackendState {
  name: string;
  status: BackendStatus;
  models: string[];
  /** Whether the models are known (configured, or listed by a probe that answered). */
  modelsKnown: boolean;
  lastError: string | null;
  lastCheck: number;
  consecutiveSuccesses: number;
  consecutiveFailures: number;
  /** The latency sample of the check that produced this state (ms), or -1 when it got no answer. */
  latencySampleMs: number;
}

/** Reads the health-check state of a backend; `latencySampleMs` is the latest check's latency. */
export function readBackendState(backend: Backend, latencySampleMs = -1): BackendState {
  return {
    name: backend.name,
    status: backend.status,
    models: [...backend.models],
    modelsKnown: backend.modelsKnown,
    lastError: backend.lastError,
    lastCheck: backend.lastCheck,
    consecutiveSuccesses: backend.consecutiveSuccesses,
    consecutiveFailures: backend.consecutiveFailures,
    latencySampleMs,
  };
}

/** The whole fleet's state, for a newly forked worker. */
export function readFleetState(fleet: Fleet): BackendState[] {
  return fleet.all().map((backend) => readBackendState(backend));
}

/** Applies states received from the primary to this worker's fleet (unknown names are ignored). */
export function applyBackendStates(fleet: Fleet, states: readonly BackendState[]): void {
  for (const state of states) {
    const backend = fleet.get(state.name);
    if (backend === undefined) continue;
    backend.status = state.status;
    backend.models = new Set(state.models);
    backend.modelsKnown = state.modelsKnown;
    backend.lastError = state.lastError;
    backend.lastCheck = state.lastCheck;
    backend.consecutiveSuccesses = state.consecutiveSuccesses;
    backend.consecutiveFailures = state.consecutiveFailures;
    // The moving average also takes request latencies, per worker: the probe's sample is folded in.
    if (state.latencySampleMs >= 0) backend.recordLatency(state.latencySampleMs);
  }
}
