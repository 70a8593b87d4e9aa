// Periodic health checks: each backend runs on its own timer so one slow backend delays no other,
// status flips only after the configured number of consecutive results, and the clock and timers
// are injected so tests drive time instead of sleeping.

import type { Backend } from '../fleet/backend.js';
import type { Fleet } from '../fleet/fleet.js';
import { httpGetJson } from './probe-transport.js';
import { probeBackend, type ProbeFetch, type ProbeResult } from './probes.js';

/** Timer functions the checker uses; tests pass a manual implementation. */
export interface Scheduler {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock and timers (timers unref'd so they never keep the process alive). */
export const SYSTEM_SCHEDULER: Scheduler = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Options of the health checker. */
export interface HealthCheckerOptions {
  intervalMs: number;
  timeoutMs: number;
  failureThreshold: number;
  recoveryThreshold: number;
  fetch?: ProbeFetch;
  /** Environment the backends' API keys are read from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  scheduler?: Scheduler;
  /** Called after every check, e.g. to record its latency. */
  onCheck?: (backend: Backend, result: ProbeResult, latencySeconds: number) => void;
  /** Called when a backend's status changes. */
  onStatusChange?: (backend: Backend, previous: string) => void;
}

/** Runs health checks for every backend of the fleet. */
export class HealthChecker {
  private readonly fleet: Fleet;
  private readonly options: HealthCheckerOptions;
  private readonly fetchImpl: ProbeFetch;
  private readonly scheduler: Scheduler;
  private readonly timers = new Map<string, unknown>();
  // Scheduler time of each backend's next check, for Retry-After.
  private readonly nextCheckAt = new Map<string, number>();
  private running = false;

  /** Builds a checker; nothing runs until `start()` or `checkAll()`. */
  constructor(fleet: Fleet, options: HealthCheckerOptions) {
    this.fleet = fleet;
    this.options = options;
    this.fetchImpl = options.fetch ?? httpGetJson;
    this.scheduler = options.scheduler ?? SYSTEM_SCHEDULER;
  }

  /** Runs the first round of checks (all backends concurrently), then keeps checking every interval. */
  async start(): Promise<void> {
    this.running = true;
    await Promise.all(this.fleet.all().map((backend) => this.checkAndReschedule(backend)));
  }

  /** Stops all future checks. */
  stop(): void {
    this.running = false;
    for (const handle of this.timers.values()) this.scheduler.clearTimeout(handle);
    this.timers.clear();
    this.nextCheckAt.clear();
  }

  /** Whole seconds until the next scheduled check of any backend, at least 1 (the `Retry-After` of a 503). */
  secondsToNextCheck(): number {
    let soonest = Infinity;
    for (const at of this.nextCheckAt.values()) soonest = Math.min(soonest, at);
    if (soonest === Infinity) return 1;
    return Math.max(1, Math.ceil((soonest - this.scheduler.now()) / 1000));
  }

  /**
   * Records that another process (a cluster's primary) has just checked `name`, so its next check
   * comes one interval from now: Retry-After hints stay right where no check runs.
   */
  noteCheckedElsewhere(name: string): void {
    this.nextCheckAt.set(name, this.scheduler.now() + this.options.intervalMs);
  }

  /** Checks every backend once, concurrently. */
  async checkAll(): Promise<void> {
    await Promise.all(this.fleet.all().map((backend) => this.check(backend)));
  }

  /** Checks one backend once and applies the result. */
  async check(backend: Backend): Promise<ProbeResult> {
    const controller = new AbortController();
    const timer = this.scheduler.setTimeout(() => controller.abort(), this.options.timeoutMs);
    const started = this.scheduler.now();
    let result: ProbeResult;
    try {
      result = await probeBackend(backend, this.fetchImpl, controller.signal, this.options.env ?? process.env);
    } finally {
      this.scheduler.clearTimeout(timer);
    }
    const latencySeconds = (this.scheduler.now() - started) / 1000;
    this.apply(backend, result, latencySeconds);
    this.options.onCheck?.(backend, result, latencySeconds);
    return result;
  }

  private async checkAndReschedule(backend: Backend): Promise<void> {
    await this.check(backend);
    if (!this.running) return;
    this.nextCheckAt.set(backend.name, this.scheduler.now() + this.options.intervalMs);
    this.timers.set(
      backend.name,
      this.scheduler.setTimeout(() => void this.checkAndReschedule(backend), this.options.intervalMs),
    );
  }

  private apply(backend: Backend, result: ProbeResult, latencySeconds: number): void {
    const previous = backend.status;
    backend.lastCheck = Date.now();
    if (result.ok) {
      backend.consecutiveSuccesses++;
      backend.consecutiveFailures = 0;
      backend.lastError = null;
      backend.recordLatency(latencySeconds * 1000);
      if (result.models !== null && backend.configuredModels === null) {
        backend.models = new Set(result.models);
        backend.modelsKnown = true;
      }
      // The first answer decides an unknown backend at once; afterwards thresholds debounce flapping.
      if (previous === 'unknown' || (previous === 'unhealthy' && backend.consecutiveSuccesses >= this.options.recoveryThreshold)) {
        backend.status = 'healthy';
      }
    } else {
      backend.consecutiveFailures++;
      backend.consecutiveSuccesses = 0;
      backend.lastError = result.error;
      if (previous === 'unknown' || (previous === 'healthy' && backend.consecutiveFailures >= this.options.failureThreshold)) {
        backend.status = 'unhealthy';
      }
    }
    if (backend.status !== previous) this.options.onStatusChange?.(backend, previous);
  }
}
