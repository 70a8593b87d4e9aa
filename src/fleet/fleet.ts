// The fleet: backends by name, and the questions routing and the endpoints ask of it.

import type { BackendConfig } from '../config/types.js';
import { Backend } from './backend.js';
import { OutlierDetector, type OutlierEvent, type OutlierPolicy } from './outlier-detector.js';

/** Optional parts of a fleet: the outlier policy (default: never eject), its clock and its event listener. */
export interface FleetOptions {
  outlier?: OutlierPolicy;
  now?: () => number;
  onOutlierEvent?: (event: OutlierEvent) => void;
}

// Without a policy nothing is ever ejected (unit tests, embedders that want the old behaviour).
const NEVER_EJECT: OutlierPolicy = { consecutiveFailures: Number.MAX_SAFE_INTEGER, baseEjectionMs: 0 };

/** Counts that describe the fleet right now. */
export interface FleetSummary {
  total: number;
  healthy: number;
  unhealthy: number;
  models: number;
}

/** The backend fleet: every backend, keyed by its configured name. */
export class Fleet {
  private readonly byName = new Map<string, Backend>();
  private readonly ordered: Backend[] = [];
  /** Ejects backends whose attempts keep failing (SPEC 2.1). */
  readonly outliers: OutlierDetector;

  /** Builds the fleet from configured backends (names are unique after validation). */
  constructor(configs: readonly BackendConfig[], options: FleetOptions = {}) {
    this.outliers = new OutlierDetector(options.outlier ?? NEVER_EJECT, options.now, options.onOutlierEvent);
    for (const config of configs) {
      const backend = new Backend(config);
      this.byName.set(backend.name, backend);
      this.ordered.push(backend);
    }
    this.ordered.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Every backend, sorted by name. */
  all(): readonly Backend[] {
    return this.ordered;
  }

  /** The backend with this name, if any. */
  get(name: string): Backend | undefined {
    return this.byName.get(name);
  }

  /** Healthy backends serving the model, in name order. */
  healthyFor(model: string): Backend[] {
    const out: Backend[] = [];
    for (const backend of this.ordered) if (backend.isHealthy && backend.serves(model)) out.push(backend);
    return out;
  }

  /**
   * The backends to route the model to: healthy ones serving it that outlier detection has not
   * ejected; when every such backend is ejected, the one whose ejection ends soonest (SPEC 2.1).
   */
  routableFor(model: string): Backend[] {
    const now = this.outliers.currentTime();
    const out: Backend[] = [];
    let soonest: Backend | null = null;
    for (const backend of this.ordered) {
      if (!backend.isHealthy || !backend.serves(model)) continue;
      if (!backend.isEjectedAt(now)) out.push(backend);
      else if (soonest === null || backend.ejectedUntil < soonest.ejectedUntil) soonest = backend;
    }
    if (out.length === 0 && soonest !== null) out.push(soonest);
    return out;
  }

  /** Whether any backend, healthy or not, lists the model (a backend that accepts any name knows none). */
  knows(model: string): boolean {
    for (const backend of this.ordered) if (backend.models.has(model)) return true;
    return false;
  }

  /** Whether some backend's models are unknown (it never answered a probe): any model may live there. */
  hasUnprobed(): boolean {
    for (const backend of this.ordered) if (!backend.modelsKnown && !backend.acceptsAnyModel) return true;
    return false;
  }

  /** Backends not healthy by their health check, in name order. */
  down(): Backend[] {
    const out: Backend[] = [];
    for (const backend of this.ordered) if (!backend.isHealthy) out.push(backend);
    return out;
  }

  /** Distinct models on healthy backends, sorted. */
  availableModels(): string[] {
    const models = new Set<string>();
    for (const backend of this.ordered) if (backend.isHealthy) for (const m of backend.models) models.add(m);
    return [...models].sort();
  }

  /** Fleet counts for /health and the fleet gauges. */
  summary(): FleetSummary {
    let healthy = 0;
    let unhealthy = 0;
    for (const backend of this.ordered) {
      if (backend.status === 'healthy') healthy++;
      else if (backend.status === 'unhealthy') unhealthy++;
    }
    return { total: this.ordered.length, healthy, unhealthy, models: this.availableModels().length };
  }
}
